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

demo: build
	scripts/demo.sh $(BERTH)

bench: build
	bench/run.sh $(BUILD_DIR)

fmt:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

fmt-check:
	git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror

sandbox-up: deps
	tests/sandbox/sandbox.sh up

sandbox-down:
	tests/sandbox/sandbox.sh down

clean:
	rm -rf $(BUILD_DIR)
