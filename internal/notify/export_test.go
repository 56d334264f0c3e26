package notify

// SignPayloadForTest signs an arbitrary payload like SignToken does.
func SignPayloadForTest(key []byte, payload string) string {
	return b64.EncodeToString([]byte(payload)) + "." + b64.EncodeToString(tokenMAC(key, payload))
}

// SignTokenV1 makes the earlier, readable token, still accepted.
var SignTokenV1 = signTokenV1
