package server

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func TestSigner(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	secret := []byte(strings.Repeat("k", 32))
	s := signer{secret: secret, now: func() time.Time { return now }}
	tok, exp, err := s.sign(jwtAudienceDev, "dev-1", 15*time.Minute, true, "")
	require.NoError(t, err)
	assert.Equal(t, now.Add(15*time.Minute), exp)
	c, err := s.verify(tok, jwtAudienceDev)
	require.NoError(t, err)
	assert.Equal(t, "dev-1", c.Subject)
	assert.True(t, c.Admin)

	_, err = s.verify(tok, jwtAudiencePush)
	assert.ErrorIs(t, err, wearables.ErrUnauthorized, "another audience")
	later := signer{secret: secret, now: func() time.Time { return now.Add(16 * time.Minute) }}
	_, err = later.verify(tok, jwtAudienceDev)
	assert.ErrorIs(t, err, wearables.ErrUnauthorized, "expired")
	other := signer{secret: []byte(strings.Repeat("x", 32)), now: s.now}
	_, err = other.verify(tok, jwtAudienceDev)
	assert.ErrorIs(t, err, wearables.ErrUnauthorized, "another secret")

	claims := tokenClaims{RegisteredClaims: jwt.RegisteredClaims{Issuer: jwtIssuer, Subject: "dev-1", Audience: jwt.ClaimStrings{jwtAudienceDev},
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}, Admin: true}
	for name, method := range map[string]jwt.SigningMethod{"HS512": jwt.SigningMethodHS512, "none": jwt.SigningMethodNone} {
		key := any(secret)
		if method == jwt.SigningMethodNone {
			key = jwt.UnsafeAllowNoneSignatureType
		}
		forged, err := jwt.NewWithClaims(method, claims).SignedString(key)
		require.NoError(t, err)
		_, err = s.verify(forged, jwtAudienceDev)
		assert.ErrorIs(t, err, wearables.ErrUnauthorized, "algorithm %s is refused: HS256 is pinned", name)
	}
}

func TestAPIKeyFormat(t *testing.T) {
	key, rec := NewAPIKey("app-1", "ci")
	assert.True(t, ValidAPIKeyFormat(key), key)
	assert.True(t, strings.HasPrefix(key, rec.Prefix))
	assert.Equal(t, HashSecret(key), rec.Hash)
	assert.NotContains(t, rec.Hash, key)
	for _, bad := range []string{"", "wk_", key[:len(key)-1], key + "x", strings.Replace(key, "wk_", "xx_", 1),
		key[:10] + flip(key[10]) + key[11:]} {
		assert.False(t, ValidAPIKeyFormat(bad), bad)
	}
	other, _ := NewAPIKey("app-1", "ci")
	assert.NotEqual(t, key, other)
}

func flip(c byte) string {
	if c == 'a' {
		return "b"
	}
	return "a"
}

func TestErrorStatus(t *testing.T) {
	cases := []struct {
		err  error
		want int
	}{
		{wearables.ErrNotFound, 404},
		{wearables.ErrInvalid, 422},
		{&wearables.ValidationError{Field: "x"}, 422},
		{wearables.ErrConflict, 409},
		{wearables.ErrUnauthorized, 401},
		{wearables.ErrRateLimited, 429},
		{wearables.ErrUnsupported, 501},
		{wearables.NewProviderError("demo", "list", 500, nil), 502},
		{assert.AnError, 500},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, errorStatus(c.err), "%v", c.err)
	}
	p := toProblem(assert.AnError).(*Problem)
	assert.Equal(t, "internal error", p.Detail, "a 500 says nothing about its cause")
	assert.Equal(t, ProblemTypeBase+ProblemInternal, p.Type)
}
