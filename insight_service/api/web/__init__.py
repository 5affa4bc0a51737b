"""The HTTP toolkit every feature uses (error envelope, OpenAPI specs, auth, cache, query
validation, request context, JSON/CSV output). It knows no feature."""
