//! ast2html (to be written).
