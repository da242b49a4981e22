// The API server's YAML decoding, for tests: go-yaml v2 strict (as sigs.k8s.io/yaml calls it),
// map keys converted as sigs.k8s.io/yaml's convertToJSONableObject does, then JSON.
// Reads a YAML stream on stdin; prints one line per document: {"ok": <json>} or {"error": "..."}.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"

	"gopkg.in/yaml.v2"
)

func convert(v interface{}) (interface{}, error) {
	switch typed := v.(type) {
	case map[interface{}]interface{}:
		out := make(map[string]interface{})
		for k, val := range typed {
			var key string
			switch tk := k.(type) {
			case string:
				key = tk
			case int:
				key = strconv.Itoa(tk)
			case int64:
				key = strconv.FormatInt(tk, 10)
			case float64:
				s := strconv.FormatFloat(tk, 'g', -1, 32)
				switch s {
				case "+Inf":
					s = ".inf"
				case "-Inf":
					s = "-.inf"
				case "NaN":
					s = ".nan"
				}
				key = s
			case bool:
				if tk {
					key = "true"
				} else {
					key = "false"
				}
			default:
				return nil, fmt.Errorf("unsupported map key of type: %s, key: %+#v", reflect.TypeOf(k), k)
			}
			c, err := convert(val)
			if err != nil {
				return nil, err
			}
			out[key] = c
		}
		return out, nil
	case []interface{}:
		out := make([]interface{}, len(typed))
		for i, item := range typed {
			c, err := convert(item)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}

func main() {
	data, _ := io.ReadAll(bufio.NewReader(os.Stdin))
	dec := yaml.NewDecoder(bytesReader(data))
	dec.SetStrict(true)
	enc := json.NewEncoder(os.Stdout)
	for {
		var v interface{}
		err := dec.Decode(&v)
		if err == io.EOF {
			return
		}
		if err != nil {
			enc.Encode(map[string]string{"error": err.Error()})
			return
		}
		c, err := convert(v)
		if err == nil {
			var raw []byte
			raw, err = json.Marshal(c)
			if err == nil {
				enc.Encode(map[string]json.RawMessage{"ok": raw})
				continue
			}
		}
		enc.Encode(map[string]string{"error": err.Error()})
	}
}

type reader struct {
	data []byte
	pos  int
}

func (r *reader) Read(p []byte) (int, error) {
	if r.pos >= len(r.data) {
		return 0, io.EOF
	}
	n := copy(p, r.data[r.pos:])
	r.pos += n
	return n, nil
}

func bytesReader(b []byte) io.Reader { return &reader{data: b} }
