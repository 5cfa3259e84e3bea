//! `GET /admin/articles/{slug}/pairing`: the blocks as the parallel mode pairs them, with the
//! translation checks of [`crate::content::checks`].

use askama::Template;
use axum::extract::{Path, State};

use super::{AdminError, AdminResult, Shell, page};
use crate::content::Localized;
use crate::content::checks::{self, PairingReport};
use crate::web::AppState;
use crate::web::auth::Signed;

#[derive(Template)]
#[template(path = "admin/pairing.html")]
struct PairingPage {
    shell: Shell,
    slug: String,
    report: PairingReport,
    zh_lang: &'static str,
}

/// Names the site knows in both languages: authors, topics and sections.
async fn known_names(state: &AppState) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let forms = |l: &Localized| {
        vec![
            l.zh_hans.clone(),
            l.zh_hant.clone(),
            l.zh_tw.clone(),
            l.zh_hk.clone(),
        ]
    };
    let mut known = Vec::new();
    for a in state.store().authors().await? {
        known.push((a.name.en.clone(), forms(&a.name)));
    }
    for t in state.store().topics().await? {
        known.push((t.name.en.clone(), forms(&t.name)));
    }
    for s in state.store().sections().await? {
        known.push((s.name.en.clone(), forms(&s.name)));
    }
    Ok(known)
}

/// Shows the pairing view.
pub async fn show(
    State(state): State<AppState>,
    signed: Signed,
    Path(slug): Path<String>,
) -> AdminResult {
    let editable = super::viewable(&state, &signed, &slug).await?;
    let master = editable.input.zh_script.edition();
    let article = state
        .store()
        .article(&slug, master)
        .await?
        .ok_or(AdminError::not_found("Not found."))?;
    let empty = Vec::new();
    let en = article.en.as_ref().map_or(&empty, |t| &t.blocks);
    let zh = article.zh.as_ref().map_or(&empty, |t| &t.blocks);
    let report = checks::check(en, zh, &article.pairing, &known_names(&state).await?);
    page(&PairingPage {
        shell: Shell::new(
            format!("Pairing: {slug}"),
            &signed.user,
            &signed.csrf,
            "articles",
        ),
        slug,
        report,
        zh_lang: master.lang_tag(),
    })
}
