//! A panel that takes text files in: pasted into a text area, chosen with a file input or
//! dropped on the panel; then lists what was not added and the files taken, each removable.
//! The cluster view (kubectl output) and the right-sizing view (usage) share it.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::browser;

/// What the panel shows and where its input goes.
#[derive(Clone, PartialEq, Properties)]
pub(crate) struct IntakeProps {
    /// The prefix of the elements' ids: `{id}-text`, `{id}-add`, `{id}-file`, `{id}-errors`,
    /// `{id}-files`.
    pub(crate) id: &'static str,
    /// The section's own id, if it has one.
    #[prop_or_default]
    pub(crate) section_id: Option<&'static str>,
    /// The heading.
    pub(crate) title: &'static str,
    /// The help paragraph.
    pub(crate) help: &'static str,
    /// The text area's label.
    pub(crate) text_label: &'static str,
    /// The paste button's label.
    pub(crate) add_label: &'static str,
    /// The file input's `accept`.
    pub(crate) accept: &'static str,
    /// Files taken so far: each one's name and number of lines.
    pub(crate) files: Vec<(String, usize)>,
    /// What was not added.
    pub(crate) errors: Vec<String>,
    /// The pasted text, when its button is pressed.
    pub(crate) on_paste: Callback<String>,
    /// Files chosen or dropped.
    pub(crate) on_files: Callback<web_sys::FileList>,
    /// The file at this index is removed.
    pub(crate) on_remove: Callback<usize>,
    /// Shown under the list of files.
    #[prop_or_default]
    pub(crate) children: Html,
}

/// Each file's name and number of lines, as the panel lists them.
pub(crate) fn listed(files: &[crate::protocol::UsageFile]) -> Vec<(String, usize)> {
    files.iter().map(|f| (f.name.clone(), f.text.lines().count())).collect()
}

/// The panel.
#[function_component(Intake)]
pub(crate) fn intake(p: &IntakeProps) -> Html {
    let text = use_state(String::new);
    let dragging = use_state(|| false);
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let add_pasted = {
        let text = text.clone();
        p.on_paste.reform(move |_: MouseEvent| (*text).clone())
    };
    let on_file = {
        let on_files = p.on_files.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                on_files.emit(files);
            }
            input.set_value("");
        })
    };
    let [on_drag_over, on_drag_leave, on_drop] =
        browser::drop_zone(dragging.clone(), p.on_files.clone());
    let id = |suffix: &str| format!("{}-{suffix}", p.id);
    html! {
        <section id={p.section_id} class={classes!("panel", "import", (*dragging).then_some("dragging"))}
            ondragover={on_drag_over} ondragleave={on_drag_leave} ondrop={on_drop}>
            <h2>{ p.title }</h2>
            <p class="help">{ p.help }</p>
            <label for={id("text")}>{ p.text_label }</label>
            <textarea id={id("text")} rows="6" spellcheck="false" value={(*text).clone()} oninput={on_text} />
            <div class="toolbar">
                <button id={id("add")} onclick={add_pasted} disabled={text.trim().is_empty()}>{ p.add_label }</button>
                <label for={id("file")} class="file">{ "…or choose files: " }</label>
                <input id={id("file")} type="file" multiple=true accept={p.accept} onchange={on_file} />
            </div>
            if !p.errors.is_empty() {
                <div class="problems" role="alert">
                    <h3>{ "Not added:" }</h3>
                    <ul id={id("errors")}>
                        { for p.errors.iter().map(|e| html! { <li><pre>{ e }</pre></li> }) }
                    </ul>
                </div>
            }
            if !p.files.is_empty() {
                <table id={id("files")}>
                    <thead><tr><th scope="col">{ "File" }</th><th scope="col" class="num">{ "Lines" }</th><th scope="col"></th></tr></thead>
                    <tbody>
                        { for p.files.iter().enumerate().map(|(i, (name, lines))| {
                            let remove = p.on_remove.reform(move |_: MouseEvent| i);
                            html! {
                                <tr>
                                    <td>{ name }</td>
                                    <td class="num">{ lines }</td>
                                    <td><button onclick={remove} aria-label={format!("Remove {name}")}>{ "Remove" }</button></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            { p.children.clone() }
        </section>
    }
}
