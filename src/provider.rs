//! Provider schema and configure.
