module example.com/service

go 1.21

require (
	golang.org/x/net v0.17.0
	github.com/gorilla/mux v1.8.0 // indirect
)

require github.com/pkg/errors v0.9.1

replace github.com/pkg/errors => github.com/pkg/errors v0.9.0
