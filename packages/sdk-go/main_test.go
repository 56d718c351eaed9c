package sibyl_test

import (
	"testing"

	"github.com/sibyl-dev/sibyl/packages/sdk-go/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }
