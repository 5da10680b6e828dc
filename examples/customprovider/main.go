// Command customprovider shows that a provider written outside this
// module's providers/ tree — in your own repository, for an in-house or
// niche vendor — is held to the same conformance kit as the built-in ones.
// TrailHub (trailhub.go) is a made-up hiking app; conformance.go declares
// how its API behaves and what was recorded from it (testdata/).
//
//	go run ./examples/customprovider        # runs the kit, prints failures and a summary
//	go run ./examples/customprovider -v     # prints every check
//
// The same suite runs under go test (main_test.go). After changing the
// normalization, regenerate the goldens from this directory with
// `go test -update` (or `go run . -update`) and review the diff.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wearables-go/wearables/providers/providertest"
)

func main() {
	verbose := flag.Bool("v", false, "print every check, not only failures")
	flag.Parse() // -update is registered by providertest
	os.Exit(run(os.Stdout, *verbose))
}

// run runs the conformance kit on TrailHub and returns the exit code.
func run(out io.Writer, verbose bool) int {
	rep := providertest.Check(suite())
	if verbose {
		_, _ = rep.WriteTo(out)
	} else {
		failed := &providertest.Report{Results: rep.Failures()}
		if len(failed.Results) > 0 {
			_, _ = failed.WriteTo(out)
		}
	}
	if rep.Failed() {
		fmt.Fprintf(out, "trailhub: %d of %d checks failed\n", len(rep.Failures()), len(rep.Results))
		return 1
	}
	fmt.Fprintf(out, "trailhub: all %d conformance checks passed\n", len(rep.Results))
	return 0
}
