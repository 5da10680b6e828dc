package oauthflow

// SetAfterVendorResponse installs a hook that runs after the vendor answered
// a refresh and before the new token is committed (the crash-window test).
func SetAfterVendorResponse(b *TokenBroker, hook func()) { b.afterVendorResponse = hook }
