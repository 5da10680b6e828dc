package providerhttp

import (
	"net/http"
	"strings"
)

// NextLink returns the URL of the rel="next" entry of h's Link headers
// (RFC 8288), or "" when there is none. Pass the result to API.URL (or
// GetJSON's path), which refuses URLs outside the vendor's base URL.
func NextLink(h http.Header) string {
	for _, line := range h.Values("Link") {
		for _, part := range splitLinks(line) {
			part = strings.TrimSpace(part)
			end := strings.IndexByte(part, '>')
			if !strings.HasPrefix(part, "<") || end < 0 {
				continue
			}
			target := part[1:end]
			for _, param := range strings.Split(part[end+1:], ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(param), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
					if strings.EqualFold(rel, "next") {
						return target
					}
				}
			}
		}
	}
	return ""
}

// splitLinks splits a Link header value on the commas between entries,
// not on commas inside <…> or quoted parameters.
func splitLinks(s string) []string {
	var parts []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' && depth == 0:
			quoted = !quoted
		case c == '<' && !quoted:
			depth++
		case c == '>' && !quoted && depth > 0:
			depth--
		case c == ',' && depth == 0 && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
