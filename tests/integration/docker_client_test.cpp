// Filled in by the docker_client work (issue 3).
