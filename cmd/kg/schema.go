package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/kgraph/kg/internal/yamlfile"
)

func (a *app) schemaCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of annotation files, generated from the ontology",
		Long: `Schema prints the JSON Schema (draft 2020-12) of annotation files, generated
from schema/ontology.yaml. The committed copy is schema/annotation.schema.json;
regenerate it after editing the ontology with: go generate ./schema`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := a.ontology()
			if err != nil {
				return err
			}
			data, err := yamlfile.JSONSchema(o)
			if err != nil {
				return err
			}
			if out != "" {
				return os.WriteFile(out, data, 0o644)
			}
			_, err = a.stdout.Write(data)
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "write to this file instead of stdout")
	return cmd
}
