# berth's front door. `make demo` and `make test` work on a fresh Debian 12 machine (as root):
# each installs what it needs first.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
BERTH := $(BUILD_DIR)/berth
# Extra cmake -D options for a new build directory, e.g. CMAKE_ARGS='-DBERTH_TESTS=OFF'.
CMAKE_ARGS ?=

.PHONY: all deps build binary image test unit demo bench fmt fmt-check clean sandbox-up sandbox-down

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The berth binary alone, installing nothing; with CMAKE_ARGS=-DBERTH_TESTS=OFF (for a new
# build directory) without GoogleTest. The Docker image's build stage runs it (deploy/Dockerfile).
binary: $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS) --target berth

# The Docker image berth:dev (deploy/Dockerfile), built by the test sandbox's dockerd from
# Debian bases bootstrapped once into $(BUILD_DIR)/image-cache. Leaves the sandbox up.
image: deps
	tests/sandbox/sandbox.sh up
	BERTH_IMAGE_CACHE=$(abspath $(BUILD_DIR))/image-cache scripts/build-image.sh berth:dev

# Unit tests, then the integration tests and the Docker image (build and image tests) against
# the sandbox (brought up and always down again).
test: build fmt-check
	tests/run-tests.sh $(BUILD_DIR)

unit: build
	ctest --test-dir $(BUILD_DIR) -L unit --output-on-failure -j $(JOBS)

# The demo needs only the berth binary; tests and benchmarks are not built for it.
demo: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS) --target berth
	scripts/demo.sh $(BERTH)

bench: build
	bench/run.sh $(BUILD_DIR)

# The file list comes from git so build trees and node_modules are never touched.
CXX_SOURCES = $(shell git ls-files '*.cpp' '*.h' || echo __not_a_git_checkout__)

fmt:
	clang-format -i $(CXX_SOURCES)

fmt-check:
	@echo "clang-format --dry-run --Werror ($(words $(CXX_SOURCES)) files)"
	@clang-format --dry-run --Werror $(CXX_SOURCES)

sandbox-up: deps
	tests/sandbox/sandbox.sh up

sandbox-down:
	tests/sandbox/sandbox.sh down

clean:
	rm -rf $(BUILD_DIR)
