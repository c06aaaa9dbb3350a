//! The terminal view's integration tests: whole screens drawn on ratatui's
//! TestBackend from recorded feeds, and hostile strings on screen.

mod ui_escapes;
mod ui_offset;
mod ui_render;
mod ui_rewind;
