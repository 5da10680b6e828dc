package applehealth

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// The tokenizer reads the element structure of an XML document and nothing
// else: start and end tags with their attributes. It is built for Apple
// Health's export.xml — a flat, attribute-heavy document of a few million
// small elements with no meaningful text — and skips character data,
// comments, processing instructions, CDATA sections and the DOCTYPE (whose
// internal subset is ignored, never validated). Attribute values are decoded
// (the five predefined entities and character references; CR LF and lone CR
// become LF, as encoding/xml does) into scratch space owned by the tokenizer.
//
// Every byte slice in a token is valid only until the next call to next: the
// tokenizer reads through one buffer it reuses, which is what makes it fast
// and its memory independent of the input's size.

type tokKind uint8

const (
	tokStart tokKind = iota + 1
	tokEnd
)

// attr is one attribute of a start tag.
type attr struct {
	name  []byte
	value []byte // decoded
}

// token is a start or end tag. A self-closing tag <a/> yields a start token
// followed by an end token, like encoding/xml.
type token struct {
	kind   tokKind
	name   []byte
	attrs  []attr
	offset int64 // byte offset of the tag's '<' in the input
}

// attrValue returns the value of the attribute named name, and whether it is present.
func (t *token) attrValue(name string) ([]byte, bool) {
	for i := range t.attrs {
		if string(t.attrs[i].name) == name {
			return t.attrs[i].value, true
		}
	}
	return nil, false
}

// tokenReader is a source of tokens: the fast tokenizer or the encoding/xml
// reference. next returns io.EOF after the root element closed and only
// whitespace, comments or processing instructions followed; any other error
// is a *SyntaxError.
type tokenReader interface {
	next() (*token, error)
	// inputOffset is how many bytes of input were consumed.
	inputOffset() int64
}

// SyntaxError reports a malformed or truncated export: the byte offset in
// the XML stream where the problem was found and why. Everything before the
// offset was read and imported.
type SyntaxError struct {
	Offset int64
	Reason string
}

func (e *SyntaxError) Error() string {
	return "applehealth: malformed export at byte " + strconv.FormatInt(e.Offset, 10) + ": " + e.Reason
}

const (
	defaultBufSize = 1 << 20  // read buffer
	maxTokenSize   = 16 << 20 // a single tag may not be larger than this
)

// errNeedMore is the internal signal that a tag continues past the buffered bytes.
var errNeedMore = errors.New("need more input")

// tokenizer is the fast tokenReader.
type tokenizer struct {
	r    io.Reader
	buf  []byte
	pos  int   // next unread byte in buf
	end  int   // end of valid data in buf
	base int64 // input offset of buf[0]
	rerr error // sticky read error (io.EOF at end of input)

	tok        token
	scratch    []byte   // decoded attribute values
	stack      [][]byte // names of open elements (copies)
	pendingEnd bool     // the last start tag was self-closing: emit its end next
	rootSeen   bool
	rootDone   bool
	err        error // sticky error
}

func newTokenizer(r io.Reader) *tokenizer { return newTokenizerSize(r, defaultBufSize) }

// newTokenizerSize starts with a read buffer of n bytes (tests use tiny
// ones to exercise every refill path); it grows up to maxTokenSize when a
// single tag needs it.
func newTokenizerSize(r io.Reader, n int) *tokenizer {
	return (&tokenizer{r: r, buf: make([]byte, max(n, 1))}).init()
}

func (z *tokenizer) init() *tokenizer {
	z.tok.attrs = make([]attr, 0, 16)
	z.scratch = make([]byte, 0, 4096)
	return z
}

func (z *tokenizer) inputOffset() int64 { return z.base + int64(z.pos) }

func (z *tokenizer) syntaxErr(off int64, format string, args ...any) error {
	z.err = &SyntaxError{Offset: off, Reason: fmt.Sprintf(format, args...)}
	return z.err
}

// fill reads more input, compacting the buffer so that bytes from keep on
// stay. It returns false when no more input can be had (z.rerr is set).
func (z *tokenizer) fill(keep int) bool {
	if z.rerr != nil {
		return false
	}
	if keep > 0 {
		n := copy(z.buf, z.buf[keep:z.end])
		z.base += int64(keep)
		z.pos -= keep
		z.end = n
	}
	if z.end == len(z.buf) {
		if len(z.buf) >= maxTokenSize {
			return false
		}
		nb := make([]byte, 2*len(z.buf))
		copy(nb, z.buf[:z.end])
		z.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := z.r.Read(z.buf[z.end:])
		z.end += n
		if err != nil {
			z.rerr = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	z.rerr = io.ErrNoProgress
	return false
}

func (z *tokenizer) next() (*token, error) {
	if z.err != nil {
		return nil, z.err
	}
	if z.pendingEnd {
		z.pendingEnd = false
		return z.popEnd(z.tok.name, z.tok.offset)
	}
	for {
		// Skip character data up to the next '<'.
		i := bytes.IndexByte(z.buf[z.pos:z.end], '<')
		if i < 0 {
			z.pos = z.end
			if !z.fill(z.pos) {
				return nil, z.eof()
			}
			continue
		}
		z.pos += i
		start := z.pos
		tok, err := z.tag()
		if err == errNeedMore {
			if z.end-start >= maxTokenSize {
				return nil, z.syntaxErr(z.base+int64(start), "tag longer than %d bytes", maxTokenSize)
			}
			z.pos = start
			if !z.fill(start) {
				if z.rerr == nil {
					return nil, z.syntaxErr(z.base+int64(z.pos), "tag longer than %d bytes", maxTokenSize)
				}
				if z.rerr != io.EOF {
					return nil, z.syntaxErr(z.inputOffset(), "read: %v", z.rerr)
				}
				return nil, z.syntaxErr(z.inputOffset(), "unexpected end of input inside the tag starting here")
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if tok != nil {
			return tok, nil
		}
		// A comment, processing instruction or directive was skipped.
	}
}

// eof is called when the input is exhausted between tags.
func (z *tokenizer) eof() error {
	if z.rerr != nil && z.rerr != io.EOF {
		return z.syntaxErr(z.inputOffset(), "read: %v", z.rerr)
	}
	switch {
	case len(z.stack) > 0:
		return z.syntaxErr(z.inputOffset(), "unexpected end of input: element <%s> not closed", z.stack[len(z.stack)-1])
	case !z.rootSeen:
		return z.syntaxErr(z.inputOffset(), "no root element")
	}
	z.err = io.EOF
	return io.EOF
}

// tag parses the markup starting at z.buf[z.pos] == '<'. It returns
// errNeedMore when the markup is not complete in the buffer (z.pos is then
// unchanged), a nil token for skipped markup, or a start/end token.
func (z *tokenizer) tag() (*token, error) {
	b := z.buf[z.pos:z.end]
	if len(b) < 2 {
		return nil, errNeedMore
	}
	off := z.base + int64(z.pos)
	switch b[1] {
	case '/':
		j := 2
		for j < len(b) && isNameByte(b[j]) {
			j++
		}
		name := b[2:j]
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j >= len(b) {
			return nil, errNeedMore
		}
		if b[j] != '>' {
			return nil, z.syntaxErr(off+int64(j), "invalid characters in end tag")
		}
		if len(name) == 0 {
			return nil, z.syntaxErr(off, "end tag without a name")
		}
		z.pos += j + 1
		return z.popEnd(name, off)
	case '?':
		k := bytes.Index(b[2:], []byte("?>"))
		if k < 0 {
			return nil, z.skipLong(off, "?>")
		}
		z.pos += 2 + k + 2
		return nil, nil
	case '!':
		return nil, z.bang(off)
	}
	return z.startTag(b, off)
}

// startTag parses <name attr="v" …> or <name …/>.
func (z *tokenizer) startTag(b []byte, off int64) (*token, error) {
	if z.rootDone {
		return nil, z.syntaxErr(off, "element after the root element")
	}
	j := 1
	for j < len(b) && isNameByte(b[j]) {
		j++
	}
	if j >= len(b) {
		return nil, errNeedMore
	}
	if j == 1 {
		return nil, z.syntaxErr(off, "invalid character %q after '<'", b[1])
	}
	t := &z.tok
	t.kind, t.name, t.offset = tokStart, b[1:j], off
	t.attrs = t.attrs[:0]
	z.scratch = z.scratch[:0]
	// Decoded values are appended to scratch; slices into it are fixed up
	// once scratch stops growing (it may be reallocated meanwhile).
	type fix struct{ i, from, to int }
	var fixes [8]fix
	fx := fixes[:0]
	for {
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j >= len(b) {
			return nil, errNeedMore
		}
		c := b[j]
		if c == '>' {
			z.pos += j + 1
			break
		}
		if c == '/' {
			if j+1 >= len(b) {
				return nil, errNeedMore
			}
			if b[j+1] != '>' {
				return nil, z.syntaxErr(off+int64(j), "expected '>' after '/' in tag <%s>", t.name)
			}
			z.pos += j + 2
			z.pendingEnd = true
			break
		}
		ns := j
		for j < len(b) && isNameByte(b[j]) {
			j++
		}
		if j >= len(b) {
			return nil, errNeedMore
		}
		if ns == j {
			return nil, z.syntaxErr(off+int64(j), "invalid character %q in tag <%s>", b[j], t.name)
		}
		name := b[ns:j]
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j >= len(b) {
			return nil, errNeedMore
		}
		if b[j] != '=' {
			return nil, z.syntaxErr(off+int64(j), "attribute %s without a value in tag <%s>", name, t.name)
		}
		j++
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j >= len(b) {
			return nil, errNeedMore
		}
		q := b[j]
		if q != '"' && q != '\'' {
			return nil, z.syntaxErr(off+int64(j), "unquoted value of attribute %s in tag <%s>", name, t.name)
		}
		j++
		k := bytes.IndexByte(b[j:], q)
		if k < 0 {
			return nil, errNeedMore
		}
		raw := b[j : j+k]
		vs := j
		j += k + 1
		val := raw
		if special := bytes.IndexAny(raw, "&<\r"); special >= 0 {
			from := len(z.scratch)
			var err error
			z.scratch, err = z.decodeValue(z.scratch, raw, off+int64(vs))
			if err != nil {
				return nil, err
			}
			fx = append(fx, fix{len(t.attrs), from, len(z.scratch)})
			val = nil
		}
		t.attrs = append(t.attrs, attr{name: name, value: val})
	}
	for _, f := range fx {
		t.attrs[f.i].value = z.scratch[f.from:f.to:f.to]
	}
	if len(z.stack) == 0 {
		if z.rootSeen {
			return nil, z.syntaxErr(off, "element after the root element")
		}
		z.rootSeen = true
	}
	z.push(t.name)
	return t, nil
}

// push records an open element; names are copied into reused storage.
func (z *tokenizer) push(name []byte) {
	n := len(z.stack)
	if n < cap(z.stack) {
		z.stack = z.stack[:n+1]
		z.stack[n] = append(z.stack[n][:0], name...)
		return
	}
	z.stack = append(z.stack, append([]byte(nil), name...))
}

func (z *tokenizer) popEnd(name []byte, off int64) (*token, error) {
	n := len(z.stack)
	if n == 0 {
		return nil, z.syntaxErr(off, "unexpected end tag </%s>", name)
	}
	if !bytes.Equal(z.stack[n-1], name) {
		return nil, z.syntaxErr(off, "element <%s> closed by </%s>", z.stack[n-1], name)
	}
	z.stack = z.stack[:n-1]
	if n == 1 {
		z.rootDone = true
	}
	t := &z.tok
	t.kind, t.name, t.offset = tokEnd, z.stack[:n][n-1], off
	t.attrs = t.attrs[:0]
	return t, nil
}

// decodeValue appends the decoded attribute value raw to dst.
func (z *tokenizer) decodeValue(dst, raw []byte, off int64) ([]byte, error) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '<':
			return dst, z.syntaxErr(off+int64(i), "unescaped < inside an attribute value")
		case '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case '&':
			k := bytes.IndexByte(raw[i:], ';')
			if k < 0 {
				return dst, z.syntaxErr(off+int64(i), "unterminated entity reference")
			}
			ent := raw[i+1 : i+k]
			var ok bool
			dst, ok = appendEntity(dst, ent)
			if !ok {
				return dst, z.syntaxErr(off+int64(i), "invalid entity reference &%s;", ent)
			}
			i += k
		default:
			dst = append(dst, c)
		}
	}
	return dst, nil
}

// appendEntity appends the text of entity ent (without & and ;).
func appendEntity(dst, ent []byte) ([]byte, bool) {
	switch string(ent) {
	case "lt":
		return append(dst, '<'), true
	case "gt":
		return append(dst, '>'), true
	case "amp":
		return append(dst, '&'), true
	case "quot":
		return append(dst, '"'), true
	case "apos":
		return append(dst, '\''), true
	}
	if len(ent) < 2 || ent[0] != '#' {
		return dst, false
	}
	var n uint64
	var err error
	if ent[1] == 'x' {
		if len(ent) < 3 {
			return dst, false
		}
		n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
	}
	if err != nil || !isXMLChar(rune(n)) {
		return dst, false
	}
	return utf8.AppendRune(dst, rune(n)), true
}

// isXMLChar reports whether r is in the XML Char production, as encoding/xml checks.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// bang handles <!-- comments -->, <![CDATA[ … ]]> and <!DOCTYPE …> or other
// directives, all skipped.
func (z *tokenizer) bang(off int64) error {
	b := z.buf[z.pos:z.end]
	if len(b) < 4 {
		return errNeedMore
	}
	if b[2] == '-' {
		if b[3] != '-' {
			return z.syntaxErr(off, "invalid sequence <!- not part of <!--")
		}
		k := bytes.Index(b[4:], []byte("-->"))
		if k < 0 {
			return z.skipLong(off, "-->")
		}
		z.pos += 4 + k + 3
		return nil
	}
	if b[2] == '[' {
		if len(b) < 9 {
			return errNeedMore
		}
		if string(b[2:9]) != "[CDATA[" {
			return z.syntaxErr(off, "invalid <![ sequence")
		}
		if len(z.stack) == 0 {
			return z.syntaxErr(off, "CDATA outside the root element")
		}
		k := bytes.Index(b[9:], []byte("]]>"))
		if k < 0 {
			return z.skipLong(off, "]]>")
		}
		z.pos += 9 + k + 3
		return nil
	}
	// A directive such as <!DOCTYPE …>, possibly with an internal subset in
	// brackets that holds quoted strings and comments containing '>'.
	return z.skipDirective(off)
}

// skipLong skips to the end marker of a comment, PI or CDATA section that
// does not fit in the buffer, reading as much input as needed without
// keeping it.
func (z *tokenizer) skipLong(off int64, marker string) error {
	m := []byte(marker)
	z.pos += 2
	for {
		k := bytes.Index(z.buf[z.pos:z.end], m)
		if k >= 0 {
			z.pos += k + len(m)
			return nil
		}
		// Keep the last len(m)-1 bytes: the marker may straddle reads.
		keep := max(z.end-(len(m)-1), z.pos)
		z.pos = keep
		if !z.fill(keep) {
			return z.syntaxErr(z.base+int64(z.end), "unexpected end of input: %s started at byte %d not closed", markerName(marker), off)
		}
	}
}

func markerName(m string) string {
	switch m {
	case "-->":
		return "comment"
	case "?>":
		return "processing instruction"
	case "]]>":
		return "CDATA section"
	}
	return "directive"
}

// skipDirective skips <!…> with nested brackets, quoted strings and comments.
func (z *tokenizer) skipDirective(off int64) error {
	z.pos += 2
	depth := 0     // '<' nesting inside the internal subset
	var quote byte // current quote, 0 when outside
	comment := false
	for {
		b := z.buf[z.pos:z.end]
		i := 0
		for ; i < len(b); i++ {
			c := b[i]
			switch {
			case comment:
				if c == '>' && i >= 2 && b[i-1] == '-' && b[i-2] == '-' {
					comment = false
				}
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '<':
				if i+3 < len(b) && b[i+1] == '!' && b[i+2] == '-' && b[i+3] == '-' {
					comment = true
					i += 3
				} else if i+3 >= len(b) {
					goto more
				} else {
					depth++
				}
			case c == '>':
				if depth == 0 {
					z.pos += i + 1
					return nil
				}
				depth--
			}
		}
	more:
		z.pos += i
		if comment {
			// Re-examine the last two bytes after the refill: a "-->" may
			// straddle two reads. They were already seen as comment text.
			z.pos = max(z.pos-2, 0)
		}
		if !z.fill(z.pos) {
			return z.syntaxErr(z.base+int64(z.end), "unexpected end of input: directive started at byte %d not closed", off)
		}
	}
}

// isNameByte reports whether c may appear in an element or attribute name.
// Non-ASCII bytes are accepted (names are compared as bytes).
func isNameByte(c byte) bool { return nameBytes[c] }

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

var nameBytes = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '_', c == ':', c == '-', c == '.', c >= 0x80:
			t[c] = true
		}
	}
	return t
}()
