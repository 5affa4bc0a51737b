"""The service's core: settings, warehouse repository, domain errors, periods and vocabulary."""
