// Filled in by the registry_client work (issue 3).
