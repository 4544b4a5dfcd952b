//! agora-pypi
