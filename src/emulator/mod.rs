//! contactpro-emulator: a local, persistent emulator of the RCI.
