//! kplan command line.
