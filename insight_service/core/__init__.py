"""The core of the service: settings, warehouse repository, domain errors, periods, vocabulary."""
