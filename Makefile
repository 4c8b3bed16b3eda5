# Entry points for developers and CI. Builds use the debug profile everywhere
# (tests, demo, install) so nothing is compiled twice; `release` and `bench` use
# the release profile. Override with `make install PROFILE=release`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
PROFILE ?= dev
PROFILE_DIR := $(if $(filter dev,$(PROFILE)),debug,$(PROFILE))
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
BIN_DIR := $(TARGET_DIR)/$(PROFILE_DIR)
# Terraform's name of this machine's platform, e.g. linux_amd64, linux_arm64, darwin_arm64.
PLATFORM := $(shell uname -s | tr '[:upper:]' '[:lower:]')_$(shell uname -m | sed -e 's/^x86_64$$/amd64/' -e 's/^aarch64$$/arm64/')
PLUGIN_DIR := $(HOME)/.terraform.d/plugins/registry.terraform.io/contactpro/contactpro/$(VERSION)/$(PLATFORM)

# PROTOC from the PyPI fallback, when scripts/setup.sh had to use it.
WITH_ENV := if [[ -f .tools/env.sh ]]; then source .tools/env.sh; fi;

.PHONY: setup setup-release build install demo demo-stop test docs docs-check bench mutants release release-test clean distclean

setup:
	@bash scripts/setup.sh

# What the cross builds of `make release` need: rustup targets, cargo-zigbuild and zig in .tools/.
setup-release:
	@bash scripts/setup.sh --release

# Every binary of the workspace: the provider, contactpro-emulator and the developer tools.
build: setup
	@$(WITH_ENV) cargo build --profile $(PROFILE) --workspace --bins

# The unpacked filesystem-mirror layout Terraform searches by default.
# Builds the provider package alone: no emulator, so neither axum nor SQLite is compiled.
install: setup
	@$(WITH_ENV) cargo build --profile $(PROFILE) -p terraform-provider-contactpro --bin terraform-provider-contactpro
	@mkdir -p "$(PLUGIN_DIR)"
	@install -m 0755 "$(BIN_DIR)/terraform-provider-contactpro" \
		"$(PLUGIN_DIR)/terraform-provider-contactpro_v$(VERSION)"
	@echo "installed $(PLUGIN_DIR)/terraform-provider-contactpro_v$(VERSION)"

demo: build
	@EMULATOR_BIN="$(BIN_DIR)/contactpro-emulator" \
		PROVIDER_BIN="$(BIN_DIR)/terraform-provider-contactpro" bash scripts/demo.sh

# Stops the emulator `make demo` started, and only that process.
demo-stop:
	@bash scripts/demo.sh --stop

test: setup
	@$(WITH_ENV) cargo fmt --all --check
	@$(WITH_ENV) cargo clippy --workspace --all-targets -- -D warnings
	@$(WITH_ENV) if command -v cargo-nextest >/dev/null 2>&1; then \
		cargo nextest run --workspace --no-fail-fast; \
	else \
		cargo test --workspace --no-fail-fast; \
	fi

# Mutation testing (cargo-mutants, installed into .tools/ by this target only): the client, the rules
# and the provider's plan-time validation against their fast tests. MUTANTS_SCOPE=full, MUTANTS_AREAS,
# MUTANTS_FILE: see scripts/mutants.sh; figures in docs/development.md. Missed mutants do not fail it.
mutants: setup
	@$(WITH_ENV) bash scripts/mutants.sh

# Regenerates the schema sections and embedded examples of docs/ from the provider's schema;
# `docs-check` only reports mismatches (make test also checks them against Terraform's view).
docs: setup
	@$(WITH_ENV) cargo run --quiet -p contactpro-docs -- generate

docs-check: setup
	@$(WITH_ENV) cargo run --quiet -p contactpro-docs -- check

# Release build of the bins and the benchmark; sizes and runs via BENCH_* (docs/performance.md).
bench: setup
	@$(WITH_ENV) cargo build --release -p contactpro-emulator --bin contactpro-emulator
	@$(WITH_ENV) cargo bench -p terraform-provider-contactpro --bench terraform

# dist/: per platform (5) the provider's and the emulator's zip, the manifest, signed SHA256SUMS
# and the network-mirror tree (docs/guides/installation.md). MIRROR_HOSTNAME, GPG_* : release.sh.
release: setup-release
	@$(WITH_ENV) bash scripts/release.sh

# `make release`, then checks dist/: headers, sums, signatures, `terraform init` from the mirror.
release-test: release
	@$(WITH_ENV) cargo test --locked -p terraform-provider-contactpro --test release_dist -- --ignored

# Only this package's artifacts: the target dir may be shared with other checkouts.
clean:
	@cargo clean -p terraform-provider-contactpro -p contactpro-rci -p contactpro-rules \
		-p contactpro-emulator -p contactpro-docs -p contactpro-emulator-load \
		-p contactpro-release
	@rm -rf .demo dist

# Also forget what `make setup` installed.
distclean: clean
	@rm -rf .tools
