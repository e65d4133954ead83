// "Create the network if it is missing", written once over the DockerApi seam so that every
// implementation (the real client, test fakes) behaves the same.
#pragma once

#include "docker/docker_api.h"

namespace berth::docker {

struct EnsuredNetwork {
  NetworkInfo network{};
  bool created = false;
};

// Inspects spec.name; creates it (labelled, CheckDuplicate) if there is none. Safe against a
// concurrent creator: a conflict on create means someone else made it, so it inspects again.
// An existing network with another driver is accepted as is (the operator may have made it);
// the caller can compare network.driver. Throws DockerError.
EnsuredNetwork ensureNetwork(DockerApi& docker, const NetworkSpec& spec);

}  // namespace berth::docker
