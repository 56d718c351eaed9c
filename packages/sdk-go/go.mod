module github.com/sibyl-dev/sibyl/packages/sdk-go

go 1.22
