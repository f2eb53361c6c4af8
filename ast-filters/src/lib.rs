//! ast-filters (to be written).
