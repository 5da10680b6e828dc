package pgstore

import (
	"context"
	"sync"
)

// keyedMutex is a set of mutexes by key whose Lock honours a context. Its
// zero value is ready to use; entries exist only while someone holds or
// waits for them.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedEntry
}

type keyedEntry struct {
	ch   chan struct{} // holds one token while the key is locked
	refs int           // holders and waiters
}

// Lock waits until the key is free or ctx is done; on success the caller
// must Unlock the key.
func (k *keyedMutex) Lock(ctx context.Context, key string) error {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedEntry{}
	}
	e := k.locks[key]
	if e == nil {
		e = &keyedEntry{ch: make(chan struct{}, 1)}
		k.locks[key] = e
	}
	e.refs++
	k.mu.Unlock()

	select {
	case e.ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		k.release(key, e)
		return ctx.Err()
	}
}

// Unlock frees a key locked by Lock.
func (k *keyedMutex) Unlock(key string) {
	k.mu.Lock()
	e := k.locks[key]
	k.mu.Unlock()
	<-e.ch
	k.release(key, e)
}

func (k *keyedMutex) release(key string, e *keyedEntry) {
	k.mu.Lock()
	e.refs--
	if e.refs == 0 {
		delete(k.locks, key)
	}
	k.mu.Unlock()
}
