//! Accounts: who may do what in the back office and the API.
//!
//! Four roles, checked on the server for every action by [`User::may`], a pure function of the
//! user, the action and the article concerned, so that the rules are in one place and tested
//! on their own:
//!
//! | role | may |
//! |---|---|
//! | admin | everything, including users and the glossary |
//! | editor | every article, publish and unpublish, the glossary, media |
//! | translator | the language versions of articles assigned to them; never publish |
//! | author | create articles and edit their own drafts; never publish |

pub mod password;
pub mod token;

use serde::{Deserialize, Serialize};

use crate::content::{Language, Status};

/// A user's database id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

/// What a user is allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything.
    Admin,
    /// All articles, publishing, glossary.
    Editor,
    /// Assigned language versions only.
    Translator,
    /// Own drafts.
    Author,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Editor, Role::Translator, Role::Author];

    /// The stored form.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Translator => "translator",
            Role::Author => "author",
        }
    }

    /// Parses the stored form.
    pub fn from_code(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        Role::from_code(s).ok_or_else(|| {
            let names: Vec<_> = Role::ALL.iter().map(|r| r.code()).collect();
            format!("unknown role {s:?}; expected one of {}", names.join(", "))
        })
    }
}

/// A signed-in user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Database id.
    pub id: UserId,
    /// Login name.
    pub username: String,
    /// Name shown in the back office.
    pub display_name: String,
    /// Role.
    pub role: Role,
}

/// What an article looks like to the permission check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleAccess {
    /// Who created it.
    pub created_by: Option<UserId>,
    /// Its status.
    pub status: Status,
    /// Which translators may edit which version.
    pub assignments: Vec<(UserId, Language)>,
}

/// Something a user may try to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Create, change or disable accounts.
    ManageUsers,
    /// Edit the site-wide conversion glossary.
    ManageGlossary,
    /// Upload media.
    UploadMedia,
    /// Create, change, rename, merge and delete topics, authors and sections.
    ManageTaxonomy,
    /// Create a new article.
    CreateArticle,
    /// See an article in the back office (its text, preview, revisions).
    ViewArticle,
    /// Change an article's metadata (slug, section, topics, authors, hero, schedule).
    EditMetadata,
    /// Change the text of one language version.
    EditVersion(Language),
    /// Publish, schedule or unpublish.
    Publish,
    /// Assign translators.
    Assign,
    /// Move an article to the trash, or restore it from there.
    DeleteArticle,
}

impl User {
    /// Whether this user may take `action` (on `article`, for the actions that concern one).
    pub fn may(&self, action: Action, article: Option<&ArticleAccess>) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Editor => action != Action::ManageUsers,
            Role::Translator => match action {
                Action::ViewArticle => article.is_some_and(|a| self.assigned(a, None)),
                Action::EditVersion(language) => {
                    article.is_some_and(|a| self.assigned(a, Some(language)))
                }
                _ => false,
            },
            Role::Author => match action {
                Action::CreateArticle | Action::UploadMedia => true,
                Action::ViewArticle => article.is_some_and(|a| a.created_by == Some(self.id)),
                // Their own drafts (a draft was never public: the trash is theirs to use).
                Action::EditMetadata | Action::EditVersion(_) | Action::DeleteArticle => article
                    .is_some_and(|a| a.created_by == Some(self.id) && a.status == Status::Draft),
                _ => false,
            },
        }
    }

    fn assigned(&self, article: &ArticleAccess, language: Option<Language>) -> bool {
        article
            .assignments
            .iter()
            .any(|(user, l)| *user == self.id && language.is_none_or(|want| want == *l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, role: Role) -> User {
        User {
            id: UserId(id),
            username: format!("u{id}"),
            display_name: String::new(),
            role,
        }
    }

    fn article(created_by: i64, status: Status, assigned: &[(i64, Language)]) -> ArticleAccess {
        ArticleAccess {
            created_by: Some(UserId(created_by)),
            status,
            assignments: assigned.iter().map(|(u, l)| (UserId(*u), *l)).collect(),
        }
    }

    #[test]
    fn only_admins_manage_users() {
        assert!(user(1, Role::Admin).may(Action::ManageUsers, None));
        for role in [Role::Editor, Role::Translator, Role::Author] {
            assert!(!user(1, role).may(Action::ManageUsers, None), "{role:?}");
        }
    }

    #[test]
    fn only_admins_and_editors_publish() {
        let a = article(2, Status::Draft, &[(3, Language::Zh)]);
        assert!(user(1, Role::Admin).may(Action::Publish, Some(&a)));
        assert!(user(1, Role::Editor).may(Action::Publish, Some(&a)));
        assert!(!user(2, Role::Author).may(Action::Publish, Some(&a)));
        assert!(!user(3, Role::Translator).may(Action::Publish, Some(&a)));
    }

    #[test]
    fn translators_edit_only_their_assigned_version() {
        let a = article(2, Status::Published, &[(3, Language::Zh)]);
        let t = user(3, Role::Translator);
        assert!(t.may(Action::ViewArticle, Some(&a)));
        assert!(t.may(Action::EditVersion(Language::Zh), Some(&a)));
        assert!(!t.may(Action::EditVersion(Language::En), Some(&a)));
        assert!(!t.may(Action::EditMetadata, Some(&a)));
        let other = user(4, Role::Translator);
        assert!(!other.may(Action::ViewArticle, Some(&a)));
        assert!(!other.may(Action::EditVersion(Language::Zh), Some(&a)));
        assert!(!t.may(Action::CreateArticle, None));
    }

    #[test]
    fn authors_edit_only_their_own_drafts() {
        let author = user(2, Role::Author);
        let own_draft = article(2, Status::Draft, &[]);
        let own_published = article(2, Status::Published, &[]);
        let others = article(9, Status::Draft, &[]);
        assert!(author.may(Action::CreateArticle, None));
        assert!(author.may(Action::EditVersion(Language::En), Some(&own_draft)));
        assert!(author.may(Action::EditMetadata, Some(&own_draft)));
        assert!(!author.may(Action::EditVersion(Language::En), Some(&own_published)));
        assert!(!author.may(Action::ViewArticle, Some(&others)));
        assert!(!author.may(Action::EditVersion(Language::Zh), Some(&others)));
        assert!(!author.may(Action::ManageGlossary, None));
    }

    #[test]
    fn roles_parse_and_name_the_valid_ones() {
        assert_eq!("editor".parse::<Role>(), Ok(Role::Editor));
        let err = "boss".parse::<Role>().unwrap_err();
        assert!(err.contains("admin, editor, translator, author"), "{err}");
    }
}
