
mod render;
