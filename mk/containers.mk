# `make images-test`: the deployments run for real against podman (tests/containers/): the test
# images are built from a cached debootstrap base (mk/images.sh), then the container tests run.
# `make test` runs them too when the engine is usable here, and says LOUDLY when it is not.
.PHONY: images-test containers-if-usable
CONTAINER_TESTS ?= tests/containers

images-test: static
	bash mk/images.sh
	$(PYTEST) $(PYTEST_ARGS) $(CONTAINER_TESTS)

containers-if-usable:
ifeq ($(SAN),1)
	@echo "containers: not run again under SAN=1 (the images carry build/zkinit-static: make images-test)"
else
	@if reason=$$(bash mk/images.sh usable 2>&1); then $(MAKE) --no-print-directory images-test; \
	else printf '\n%s\n!!! CONTAINER TESTS SKIPPED: %s\n%s\n\n' \
	  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!' "$$reason" \
	  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'; fi
endif
