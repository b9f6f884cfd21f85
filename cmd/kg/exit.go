package main

import (
	"errors"
	"fmt"
)

// Exit codes. Scripts may rely on them; they are documented in the README
// and in `kg --help`.
const (
	ExitOK       = 0 // success
	ExitInvalid  = 1 // the data is invalid (check found problems) or a gate failed
	ExitUsage    = 2 // the command line is wrong
	ExitNeo4j    = 3 // Neo4j could not be reached, refused the credentials, or lacks the database
	ExitInternal = 4 // anything else: a bug or an I/O failure
	// ExitInterrupted is 128 plus SIGINT's number, as shells report a
	// command Ctrl-C ended.
	ExitInterrupted = 130 // interrupted (Ctrl-C or SIGTERM) before the work was done
)

const exitCodesHelp = `Exit codes:
  0  success
  1  invalid data (check found problems) or a failed gate (--fail-under)
  2  usage error (unknown command, flag or question, wrong arguments)
  3  Neo4j unreachable, wrong credentials or unknown database
  4  internal or I/O error
  130  interrupted (Ctrl-C or SIGTERM); a load stopped this way leaves Neo4j
       as the previous load left it`

// exitError carries an exit code with the error to print.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &exitError{ExitUsage, fmt.Errorf(format, args...)}
}

// errInvalid reports invalid data whose diagnostics were already printed.
var errInvalid = &exitError{ExitInvalid, errors.New("invalid data")}

func exitCode(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return ExitInternal
}
