//! The page's entry point.

#![forbid(unsafe_code)]

fn main() {
    kplan_web::ui::browser::install_panic_screen();
    if let Some(root) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"))
    {
        yew::Renderer::<kplan_web::ui::App>::with_root(root).render();
    }
}
