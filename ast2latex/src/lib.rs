//! ast2latex (to be written).
