//! md2ast (to be written).
