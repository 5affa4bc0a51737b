"""The service's core, shared by the web layer, the domain packages and the CLI: settings, the
warehouse repository, domain errors, date windows, value helpers and the vocabulary. No Flask here."""
