package exportgen

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	sa, err := Write(&a, Config{Days: 3, Seed: 9})
	require.NoError(t, err)
	_, err = Write(&b, Config{Days: 3, Seed: 9})
	require.NoError(t, err)
	assert.Equal(t, a.Bytes(), b.Bytes())
	assert.Equal(t, int64(a.Len()), sa.Bytes)
	assert.Equal(t, 3, sa.Days)
	assert.Positive(t, sa.Records)

	var c bytes.Buffer
	_, err = Write(&c, Config{Days: 3, Seed: 10})
	require.NoError(t, err)
	assert.NotEqual(t, a.Bytes(), c.Bytes())
}

func TestWriteSize(t *testing.T) {
	var buf bytes.Buffer
	st, err := Write(&buf, Config{Size: 2 << 20})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, st.Bytes, int64(2<<20))
	assert.Less(t, st.Bytes, int64(3<<20))
}

// TestWriteWellFormed parses the output with encoding/xml, 12-hour form included.
func TestWriteWellFormed(t *testing.T) {
	for _, twelve := range []bool{false, true} {
		var buf bytes.Buffer
		_, err := Write(&buf, Config{Days: 2, TwelveHour: twelve})
		require.NoError(t, err)
		dec := xml.NewDecoder(&buf)
		n := 0
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			n++
		}
		assert.Greater(t, n, 1000)
	}
}
