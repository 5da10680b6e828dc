package applehealth

import (
	"bufio"
	"encoding/xml"
	"errors"
	"io"
)

// stdTokenReader is the reference tokenReader built on encoding/xml. It is
// slow (every token allocates) but its behaviour is the standard's; the
// differential tests require the fast tokenizer to produce the same records,
// and the benchmarks report the fast one's speed as a ratio over this one.
type stdTokenReader struct {
	dec      *xml.Decoder
	tok      token
	buf      []byte
	depth    int
	rootSeen bool
	err      error
}

func newStdTokenReader(r io.Reader) *stdTokenReader {
	dec := xml.NewDecoder(bufio.NewReaderSize(r, 1<<16))
	dec.Strict = true
	return &stdTokenReader{dec: dec}
}

func (s *stdTokenReader) inputOffset() int64 { return s.dec.InputOffset() }

func (s *stdTokenReader) next() (*token, error) {
	if s.err != nil {
		return nil, s.err
	}
	for {
		off := s.dec.InputOffset()
		t, err := s.dec.Token()
		if err != nil {
			if err == io.EOF {
				if !s.rootSeen {
					s.err = &SyntaxError{Offset: s.dec.InputOffset(), Reason: "no root element"}
					return nil, s.err
				}
				s.err = io.EOF
				return nil, io.EOF
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				s.err = &SyntaxError{Offset: s.dec.InputOffset(), Reason: se.Msg}
			} else {
				s.err = &SyntaxError{Offset: s.dec.InputOffset(), Reason: "read: " + err.Error()}
			}
			return nil, s.err
		}
		switch t := t.(type) {
		case xml.StartElement:
			if s.depth == 0 {
				if s.rootSeen {
					s.err = &SyntaxError{Offset: off, Reason: "element after the root element"}
					return nil, s.err
				}
				s.rootSeen = true
			}
			s.depth++
			s.buf = s.buf[:0]
			s.buf = appendName(s.buf, t.Name)
			nameEnd := len(s.buf)
			type span struct{ n0, n1, v0, v1 int }
			spans := make([]span, 0, len(t.Attr))
			for _, a := range t.Attr {
				n0 := len(s.buf)
				s.buf = appendName(s.buf, a.Name)
				n1 := len(s.buf)
				s.buf = append(s.buf, a.Value...)
				spans = append(spans, span{n0, n1, n1, len(s.buf)})
			}
			s.tok.kind, s.tok.offset = tokStart, off
			s.tok.name = s.buf[:nameEnd]
			s.tok.attrs = s.tok.attrs[:0]
			for _, sp := range spans {
				s.tok.attrs = append(s.tok.attrs, attr{name: s.buf[sp.n0:sp.n1], value: s.buf[sp.v0:sp.v1]})
			}
			return &s.tok, nil
		case xml.EndElement:
			s.depth--
			s.buf = appendName(s.buf[:0], t.Name)
			s.tok.kind, s.tok.offset, s.tok.name, s.tok.attrs = tokEnd, off, s.buf, s.tok.attrs[:0]
			return &s.tok, nil
		}
	}
}

func appendName(b []byte, n xml.Name) []byte {
	if n.Space != "" {
		b = append(append(b, n.Space...), ':')
	}
	return append(b, n.Local...)
}
