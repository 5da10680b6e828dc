package server

import (
	"embed"
	"io/fs"
	"net/http"
)

// docsUI holds Stoplight Elements (see docsui/README.md), embedded so the
// API reference renders without a CDN.
//
//go:embed docsui/web-components.min.js docsui/styles.min.css docsui/LICENSE
var docsUI embed.FS

const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wearables API reference</title>
<link rel="stylesheet" href="/docs/assets/styles.min.css">
<script src="/docs/assets/web-components.min.js"></script>
</head>
<body style="height: 100vh; margin: 0">
<elements-api apiDescriptionUrl="/api/v1/openapi.yaml" router="hash" layout="sidebar" tryItCredentialsPolicy="same-origin"></elements-api>
</body>
</html>
`

// mountDocs serves the API reference page at /docs and its embedded assets
// under /docs/assets/.
func mountDocs(mux *http.ServeMux) {
	assets, err := fs.Sub(docsUI, "docsui")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	mux.HandleFunc("GET /docs", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(docsPage))
	})
	files := http.StripPrefix("/docs/assets/", http.FileServerFS(assets))
	mux.Handle("GET /docs/assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	}))
}
