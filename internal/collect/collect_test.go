package collect

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestLessRestores(t *testing.T) {
	if _, set := os.LookupEnv("GOGC"); set {
		t.Skip("GOGC is set: phases leave the collector alone")
	}
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	outer := Less()
	inner := Less()
	if got := debug.SetGCPercent(Percent); got != Percent {
		t.Errorf("during phases GOGC is %d, want %d", got, Percent)
	}
	inner()
	if got := debug.SetGCPercent(Percent); got != Percent {
		t.Errorf("with one phase still under way GOGC is %d, want %d", got, Percent)
	}
	outer()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after the phases GOGC is %d, want 100 again", got)
	}
}
