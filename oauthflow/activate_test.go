package oauthflow_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
)

// TestCompleteActivate: the TxFunc of CompleteRequest.Activate runs in the
// transaction that makes the connection active — inside it the connection
// already reads active, and when it fails a new connection stays
// needs_reauth — so a queue's first jobs commit exactly with the
// activation.
func TestCompleteActivate(t *testing.T) {
	forEachStore(t, func(t *testing.T, k storeKind) {
		ctx := context.Background()
		e := newEnv(t, openStore(t, k))

		complete := func(user string, activate func(context.Context, wearables.Connection) (wearables.TxFunc, error)) (wearables.Connection, error) {
			res, err := e.flow.Begin(ctx, oauthflow.BeginRequest{UserID: user, Provider: provA, RedirectURI: testRedirect})
			require.NoError(t, err)
			code, state := e.authorize(res.URL)
			conn, err := e.flow.Complete(ctx, oauthflow.CompleteRequest{Provider: provA, State: state, Code: code, RedirectURI: testRedirect, Activate: activate})
			return conn, e.keep(err)
		}
		// statusInTx reads the connection's status through the
		// transaction's own connection (nil tx: memstore has none).
		statusInTx := func(ctx context.Context, tx *sql.Tx, id string) string {
			if tx == nil {
				return ""
			}
			var status string
			require.NoError(t, tx.QueryRowContext(ctx, `SELECT status FROM connections WHERE id = $1`, id).Scan(&status))
			return status
		}

		// The hook fails: the new connection is left needs_reauth.
		user := e.newUser()
		boom := errors.New("queue unavailable")
		var seen wearables.Connection
		_, err := complete(user, func(_ context.Context, c wearables.Connection) (wearables.TxFunc, error) {
			seen = c
			return func(ctx context.Context, tx *sql.Tx) error {
				if tx != nil {
					assert.Equal(t, string(wearables.ConnectionActive), statusInTx(ctx, tx, c.ID), "the TxFunc runs after the activating update, in its transaction")
				}
				return boom
			}, nil
		})
		require.ErrorIs(t, err, boom)
		require.NotEmpty(t, seen.ID)
		assert.Equal(t, wearables.ConnectionActive, seen.Status, "Activate sees the connection as it will be stored")
		got, err := e.store.GetConnection(ctx, seen.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionNeedsReauth, got.Status, "a failed TxFunc rolls the activation back")

		// Activate itself fails: same outcome, and its TxFunc never runs.
		_, err = complete(user, func(context.Context, wearables.Connection) (wearables.TxFunc, error) { return nil, boom })
		require.ErrorIs(t, err, boom)
		got, err = e.store.GetConnection(ctx, seen.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionNeedsReauth, got.Status)

		// The hook succeeds: it ran once, in the activating transaction.
		ran := 0
		conn, err := complete(user, func(_ context.Context, c wearables.Connection) (wearables.TxFunc, error) {
			return func(ctx context.Context, tx *sql.Tx) error {
				ran++
				if tx != nil {
					assert.Equal(t, string(wearables.ConnectionActive), statusInTx(ctx, tx, c.ID))
				}
				return nil
			}, nil
		})
		require.NoError(t, err)
		assert.Equal(t, 1, ran)
		assert.Equal(t, seen.ID, conn.ID, "the same connection, now active")
		assert.Equal(t, wearables.ConnectionActive, conn.Status)
	})
}
