//! The terminal view's integration tests: whole screens drawn on ratatui's
//! TestBackend from recorded feeds, and hostile strings on screen.

mod ui_agent_order;
mod ui_channels;
mod ui_escapes;
mod ui_groups;
mod ui_mouse;
mod ui_offset;
mod ui_render;
mod ui_rewind;
mod ui_sites;
mod ui_views;
mod ui_wide;
