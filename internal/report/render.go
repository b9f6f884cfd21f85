package report

import (
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	texttemplate "text/template"
)

//go:embed templates
var templates embed.FS

var htmlTemplate = htmltemplate.Must(htmltemplate.New("report.html.tmpl").Funcs(htmltemplate.FuncMap{
	"inline": inlineSVG,
	"none":   func() string { return None },
}).ParseFS(templates, "templates/report.html.tmpl"))

// PictureDir is the folder, beside report.md, that holds its pictures.
const PictureDir = "img"

var markdownTemplate = texttemplate.Must(texttemplate.New("report.md.tmpl").Funcs(texttemplate.FuncMap{
	"esc":     mdEscape,
	"cell":    mdCell,
	"url":     mdURL,
	"code":    mdCode,
	"picture": func(p *Picture) string { return PictureDir + "/" + p.Name + ".svg" },
	"none":    func() string { return None },
}).ParseFS(templates, "templates/report.md.tmpl"))

// WriteHTML writes the report as one self-contained HTML page: styles and
// pictures are inline, and it loads nothing from elsewhere.
func (r *Report) WriteHTML(w io.Writer) error {
	return htmlTemplate.Execute(w, r)
}

// WriteMarkdown writes the report as Markdown. Its pictures are the files
// Pictures returns, which belong in PictureDir beside it.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	if err := markdownTemplate.Execute(&b, r); err != nil {
		return err
	}
	_, err := io.WriteString(w, blankLines.ReplaceAllString(b.String(), "\n\n"))
	return err
}

// blankLines matches runs of blank lines, which the template's conditionals
// leave behind; one is enough in Markdown.
var blankLines = regexp.MustCompile(`\n{3,}`)

// Pictures lists every picture of the report, the network first.
func (r *Report) Pictures() []*Picture {
	var ps []*Picture
	if r.Network != nil {
		ps = append(ps, r.Network)
	}
	for _, d := range r.Events {
		if d.Picture != nil {
			ps = append(ps, d.Picture)
		}
	}
	return ps
}

// Formats a report can be written in.
const (
	HTML     = "html"
	Markdown = "md"
)

// File names in the output folder.
const (
	HTMLFile     = "report.html"
	MarkdownFile = "report.md"
)

// Write writes the report in each format to dir, creating it, and returns
// the files written: report.html; report.md with its pictures under img/.
func (r *Report) Write(dir string, formats ...string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	write := func(name string, fn func(io.Writer) error) error {
		var b strings.Builder
		if err := fn(&b); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			return err
		}
		files = append(files, name)
		return nil
	}
	for _, f := range formats {
		switch f {
		case HTML:
			if err := write(filepath.Join(dir, HTMLFile), r.WriteHTML); err != nil {
				return files, err
			}
		case Markdown:
			if err := write(filepath.Join(dir, MarkdownFile), r.WriteMarkdown); err != nil {
				return files, err
			}
			img := filepath.Join(dir, PictureDir)
			if err := os.MkdirAll(img, 0o755); err != nil {
				return files, err
			}
			for _, p := range r.Pictures() {
				if err := write(filepath.Join(img, p.Name+".svg"), func(w io.Writer) error {
					_, err := io.WriteString(w, p.SVG)
					return err
				}); err != nil {
					return files, err
				}
			}
		default:
			return files, fmt.Errorf("unknown report format %q; one of %s, %s", f, HTML, Markdown)
		}
	}
	return files, nil
}

// inlineSVG gives a picture's SVG for embedding in HTML: without the XML
// prolog. It is trusted as HTML because both renderers escape every text
// they draw (the built-in one with xml.EscapeText, Graphviz itself).
func inlineSVG(p *Picture) htmltemplate.HTML {
	svg := p.SVG
	if i := strings.Index(svg, "<svg"); i >= 0 {
		svg = svg[i:]
	}
	return htmltemplate.HTML(svg) //nolint:gosec // see above
}

// mdEscape makes s literal text in Markdown (CommonMark and GitHub): it
// backslash-escapes the punctuation that could start markup, and folds
// line breaks, which would end a table row.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~', '&', '!', '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func mdCell(c Cell) string {
	t := mdEscape(c.Text)
	switch {
	case c.Text == "":
		return ""
	case c.Quote:
		return "“" + t + "”"
	case c.Anchor != "":
		return "[" + t + "](#" + c.Anchor + ")"
	}
	return t
}

// mdURL makes a URL safe inside <...> link destinations.
func mdURL(u string) string {
	return strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "\n", "", "\r", "").Replace(u)
}

func mdCode(s string) string {
	if strings.Contains(s, "`") {
		return mdEscape(s)
	}
	return "`" + s + "`"
}
