# berth's front door. `make demo` and `make test` work on a fresh Debian 12 machine (as root):
# each installs what it needs first.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
BERTH := $(BUILD_DIR)/berth

.PHONY: all deps build test unit demo bench fmt fmt-check clean sandbox-up sandbox-down

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Unit tests, then the integration tests against the sandbox (brought up and always down again).
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
