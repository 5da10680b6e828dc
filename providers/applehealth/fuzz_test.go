package applehealth

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"testing"
	"testing/iotest"
	"time"

	"github.com/wearables-go/wearables/normalize"
)

func parseStd(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// tokensOf collects the element structure of data as "<name a=v>" and
// "</name>" lines, with the fast tokenizer or encoding/xml.
func tokensOf(data []byte, std bool) ([]string, error) {
	if std {
		return tokensFrom(newStdTokenReader(bytes.NewReader(data)))
	}
	return tokensFrom(newTokenizer(bytes.NewReader(data)))
}

func tokensFrom(tr tokenReader) ([]string, error) {
	var out []string
	for {
		t, err := tr.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		var b []byte
		if t.kind == tokStart {
			b = append(b, '<')
			b = append(b, t.name...)
			for _, a := range t.attrs {
				b = append(b, ' ')
				b = append(b, a.name...)
				b = append(b, '=')
				b = strconv.AppendQuote(b, string(a.value))
			}
		} else {
			b = append(b, "</"...)
			b = append(b, t.name...)
		}
		out = append(out, string(b))
	}
}

// FuzzTokenizer checks that the tokenizer never panics or loops, that its
// errors are *SyntaxError with an offset inside the input, and that on input
// both it and encoding/xml accept, both see the same elements and attributes.
func FuzzTokenizer(f *testing.F) {
	f.Add([]byte(`<HealthData locale="en_US"><Record type="a" value="1&amp;2"/></HealthData>`))
	f.Add([]byte("<!DOCTYPE HealthData [<!ELEMENT a (b)*> <!-- c > -->]><a x='&#x41;&lt;'>text<b/></a>"))
	f.Add([]byte("<?xml version=\"1.0\"?><a><![CDATA[<x>]]><!-- <b> --></a>"))
	f.Add([]byte("<a b=\"\r\n\"></a>"))
	f.Add([]byte("<a><b></a>"))
	f.Add(generateSmall())
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ferr := tokensOf(data, false)
		if ferr != nil {
			var se *SyntaxError
			if !errors.As(ferr, &se) {
				t.Fatalf("error is not a *SyntaxError: %v", ferr)
			}
			if se.Offset < 0 || se.Offset > int64(len(data)) {
				t.Fatalf("offset %d outside the input of %d bytes", se.Offset, len(data))
			}
		}
		// Tiny buffers and one-byte reads take every refill path: the
		// tokens must not depend on how the input arrives.
		small, smerr := tokensFrom(newTokenizerSize(iotest.OneByteReader(bytes.NewReader(data)), 3))
		if (ferr == nil) != (smerr == nil) || len(small) != len(fast) {
			t.Fatalf("buffer size changes the result: %v / %v, %d / %d tokens", ferr, smerr, len(fast), len(small))
		}
		for i := range fast {
			if fast[i] != small[i] {
				t.Fatalf("token %d: %q with a large buffer, %q with a tiny one", i, fast[i], small[i])
			}
		}
		std, serr := tokensOf(data, true)
		if ferr == nil && serr == nil {
			if len(fast) != len(std) {
				t.Fatalf("fast saw %d tokens, encoding/xml %d:\n%q\n%q", len(fast), len(std), fast, std)
			}
			for i := range fast {
				if fast[i] != std[i] {
					t.Fatalf("token %d: fast %q, encoding/xml %q", i, fast[i], std[i])
				}
			}
		}
	})
}

func generateSmall() []byte {
	var buf bytes.Buffer
	_ = xml.EscapeText(&buf, nil)
	buf.WriteString(`<HealthData><Record type="HKQuantityTypeIdentifierHeartRate" sourceName="W&#8217;s" unit="count/min" startDate="2024-03-10 01:59:30 -0800" endDate="2024-03-10 01:59:30 -0800" value="72"><MetadataEntry key="k" value="v"/></Record></HealthData>`)
	return buf.Bytes()
}

// FuzzParseDate checks the allocation-free date parser against normalize's
// ParseApple (and time.Parse): whatever parseDate accepts, the reference
// accepts with the same instant and offset.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2024-03-10 01:59:30 -0800", "2021-12-24 8:02:43 PM -0500", "2021-12-24 12:00:00 AM +0000",
		"2024-02-29 23:59:59 +0545", "2023-02-29 00:00:00 +0000", "2024-13-01 00:00:00 +0000",
		"2024-01-01 24:00:00 +0000", "2024-01-01 1:00:00 -0800", "1969-12-31 23:59:59 -1200",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, off, ok := parseDate([]byte(s))
		if !ok {
			return
		}
		ref, err := normalize.ParseApple(s)
		if err != nil {
			// normalize may be stricter about years; time.Parse is the floor.
			layout := dateLayout24
			if bytes.Contains([]byte(s), []byte("M ")) {
				layout = dateLayout12
			}
			tt, err2 := time.Parse(layout, s)
			if err2 != nil {
				t.Fatalf("parseDate accepted %q, time.Parse refused it: %v", s, err2)
			}
			_, o := tt.Zone()
			if !tt.Equal(got) || int(off) != o {
				t.Fatalf("%q: parseDate %v %v, time.Parse %v", s, got, off, tt)
			}
			return
		}
		if !ref.Time.Equal(got) || ref.Offset != off {
			t.Fatalf("%q: parseDate %v %v, normalize %v %v", s, got, off, ref.Time, ref.Offset)
		}
	})
}

// TestTokenizerBufferSizes decodes the hand-written exports through buffers
// from 1 byte up, fed one byte per read, and requires the tokens of the
// default buffer and of encoding/xml.
func TestTokenizerBufferSizes(t *testing.T) {
	for _, name := range []string{"export_kinds.xml", "export_12h.xml"} {
		data := readTestdata(t, name)
		want, err := tokensOf(data, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{1, 2, 3, 5, 8, 13, 64, 333, 4096} {
			got, err := tokensFrom(newTokenizerSize(iotest.OneByteReader(bytes.NewReader(data)), size))
			if err != nil {
				t.Fatalf("%s, buffer %d: %v", name, size, err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s, buffer %d: %d tokens, want %d", name, size, len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s, buffer %d, token %d: %q, want %q", name, size, i, got[i], want[i])
				}
			}
		}
	}
}

// TestTokenizerErrors checks the faults the tokenizer reports and where.
func TestTokenizerErrors(t *testing.T) {
	for _, tc := range []struct {
		doc    string
		offset int64
		reason string
	}{
		{"<a><b></a>", 6, "element <b> closed by </a>"},
		{"<a x=\"1\"", 0, "unexpected end of input inside the tag"},
		{"<a>", 3, "element <a> not closed"},
		{"", 0, "no root element"},
		{"<a x=1/>", 5, "unquoted value"},
		{"<a x=\"&bogus;\"/>", 6, "invalid entity reference"},
		{"<a x=\"a<b\"/>", 7, "unescaped <"},
		{"<a/><b/>", 4, "after the root element"},
		{"<a><!-- never closed", 20, "comment started at byte 3 not closed"},
		{"<!DOCTYPE a [ <!ELEMENT a EMPTY>", 32, "directive started at byte 0 not closed"},
		{"</a>", 0, "unexpected end tag"},
	} {
		t.Run(tc.doc, func(t *testing.T) {
			_, err := tokensFrom(newTokenizerSize(bytes.NewReader([]byte(tc.doc)), 4))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *SyntaxError", err)
			}
			if se.Offset != tc.offset || !bytes.Contains([]byte(se.Reason), []byte(tc.reason)) {
				t.Fatalf("got %d %q, want %d %q", se.Offset, se.Reason, tc.offset, tc.reason)
			}
		})
	}
}
