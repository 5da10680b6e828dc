// Command genexport writes a synthetic Apple Health export.xml of a given
// size, for benchmarks and memory measurements:
//
//	go run ./providers/applehealth/exportgen/genexport -size 2048 -o /tmp/gen2g.xml
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/wearables-go/wearables/providers/applehealth/exportgen"
)

func main() {
	sizeMB := flag.Int64("size", 100, "approximate size in MiB")
	out := flag.String("o", "export.xml", "output file")
	seed := flag.Uint64("seed", 1, "random seed")
	twelve := flag.Bool("12h", false, "write dates in the older 12-hour form")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	st, err := exportgen.Write(f, exportgen.Config{Seed: *seed, Size: *sizeMB << 20, TwelveHour: *twelve})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d bytes, %d days, %d records, %d workouts, %d summaries, %d sleep intervals\n",
		*out, st.Bytes, st.Days, st.Records, st.Workouts, st.Summaries, st.SleepIntervals)
}
