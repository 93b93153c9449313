//! The letter's fixed wording outside the clauses (subject lines, flags, section headings,
//! chronology labels, duration reasons, regulator and addressee lines), read from
//! `phrases.toml` beside the clauses, so all letter text has one home a solicitor can edit.
//!
//! Each phrase has a typed key ([`Phrase`]) and the placeholders it may use (`{date}`), so the
//! code can only ask for phrases that exist and a file with a missing, unknown or misspelt one
//! is refused when the library loads, never half-way through a letter.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Code, Diagnostic, Location, did_you_mean};

macro_rules! phrases {
    ($($variant:ident = $key:literal [$($placeholder:literal),*];)*) => {
        /// A phrase of the letter, by its key in `phrases.toml`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Phrase { $($variant,)* }

        impl Phrase {
            /// Every phrase, in file order.
            pub const ALL: &[Phrase] = &[$(Phrase::$variant,)*];

            /// The dotted key in `phrases.toml` (`subject.pre_decision`).
            pub fn key(self) -> &'static str {
                match self { $(Phrase::$variant => $key,)* }
            }

            /// The placeholders the phrase may use, without braces.
            pub fn placeholders(self) -> &'static [&'static str] {
                match self { $(Phrase::$variant => &[$($placeholder),*],)* }
            }
        }
    };
}

phrases! {
    Title = "letter.title" ["client"];
    Salutation = "letter.salutation" [];
    Closing = "letter.closing" [];
    EnclosuresOne = "letter.enclosures_one" [];
    Enclosures = "letter.enclosures" ["last"];
    Supervisor = "letter.supervisor" ["name"];
    Phone = "letterhead.phone" ["phone"];
    Email = "letterhead.email" ["email"];
    RegulatorLine = "letterhead.regulator_line" ["regulator", "number"];
    RegulatorSra = "regulator.sra" [];
    RegulatorIaa = "regulator.iaa" [];
    RegulatorOther = "regulator.other" [];
    AddresseeVtsTeam = "addressee.vts_team" [];
    AddresseeSca = "addressee.sca" [];
    AddresseeIeca = "addressee.ieca" [];
    AddresseeLitigationUnit = "addressee.litigation_unit" [];
    AddresseeOther = "addressee.other" [];
    RefOurs = "references.ours" [];
    RefHomeOffice = "references.home_office" [];
    RefPort = "references.port" [];
    RefUan = "references.uan" [];
    RefNrm = "references.nrm" [];
    RefLegalAid = "references.legal_aid" [];
    SubjectClient = "subject.client" ["name", "dob", "details"];
    SubjectAcceptedDob = "subject.accepted_dob" ["date"];
    SubjectNationality = "subject.nationality" ["nationality"];
    SubjectPreDecision = "subject.pre_decision" [];
    SubjectReconsiderationOf = "subject.reconsideration_of" ["date"];
    SubjectReconsideration = "subject.reconsideration" [];
    SubjectExtension = "subject.extension" [];
    SubjectKtt = "subject.ktt" [];
    SectionRequest = "sections.request" [];
    SectionSummary = "sections.summary" [];
    SectionChronology = "sections.chronology" [];
    SectionFramework = "sections.framework" [];
    SectionBestInterests = "sections.best_interests" [];
    SectionRecovery = "sections.recovery" [];
    SectionCompensation = "sections.compensation" [];
    SectionCooperation = "sections.cooperation" [];
    SectionPersonalSituation = "sections.personal_situation" [];
    SectionSuitability = "sections.suitability" [];
    SectionDuration = "sections.duration" [];
    SectionOtherMatters = "sections.other_matters" [];
    SectionConclusion = "sections.conclusion" [];
    SectionEvidenceIndex = "sections.evidence_index" [];
    FlagLeaveExpires = "flags.leave_expires" ["date"];
    FlagLeaveExpiring = "flags.leave_expiring" [];
    FlagRemovalDirections = "flags.removal_directions" [];
    FlagDetained = "flags.detained" [];
    FlagTrialListed = "flags.trial_listed" ["date"];
    FlagTrialImminent = "flags.trial_imminent" [];
    FlagChild = "flags.child" [];
    FlagAgeDisputed = "flags.age_disputed" [];
    FlagDeportation = "flags.deportation" [];
    FlagSafeguardingRisk = "flags.safeguarding_risk" [];
    FlagContactViaRepresentative = "flags.contact_via_representative" [];
    DurationChild = "duration.child" [];
    DurationTrial = "duration.trial" ["months"];
    DurationTrialFloor = "duration.trial_floor" ["months"];
    DurationDefault = "duration.default" [];
    DurationDefaultNoTreatment = "duration.default_no_treatment" [];
    ChronDate = "chronology.column_date" [];
    ChronEvent = "chronology.column_event" [];
    ChronEvidence = "chronology.column_evidence" [];
    ChronTab = "chronology.tab" ["tab"];
    ChronBorn = "chronology.born" [];
    ChronBornClaimed = "chronology.born_claimed" [];
    ChronDobAccepted = "chronology.dob_accepted" [];
    ChronEpisode = "chronology.episode" ["kind", "place", "age", "end"];
    ChronEpisodePlace = "chronology.episode_place" ["countries"];
    ChronEpisodeAge = "chronology.episode_age" ["age"];
    ChronEpisodeUntil = "chronology.episode_until" ["date"];
    ChronEpisodeContinuing = "chronology.episode_continuing" [];
    ChronArrival = "chronology.arrival" [];
    ChronVisa = "chronology.visa" ["category"];
    ChronAsylumClaim = "chronology.asylum_claim" [];
    ChronAsylumDecision = "chronology.asylum_decision" [];
    ChronReferral = "chronology.referral" ["by"];
    ChronReferralBy = "chronology.referral_by" ["responder"];
    ChronRg = "chronology.rg_decision" ["outcome"];
    ChronCg = "chronology.cg_decision" ["outcome", "age", "claim"];
    ChronCgClaimPending = "chronology.cg_claim_pending" [];
    ChronCgAge = "chronology.cg_age" ["age"];
    ChronAgeBoth = "chronology.age_both" ["claimed", "accepted"];
    ChronTurns18 = "chronology.turns_18" [];
    ChronTurns18Claimed = "chronology.turns_18_claimed" [];
    ChronTurns18Accepted = "chronology.turns_18_accepted" [];
    ChronQuestionnaire = "chronology.questionnaire" [];
    ChronVtsGrant = "chronology.vts_grant" ["months"];
    ChronVtsRefusal = "chronology.vts_refusal" ["months"];
    ChronMsdlGrant = "chronology.msdl_grant" ["months"];
    ChronMsdlRefusal = "chronology.msdl_refusal" ["months"];
    ChronDecisionMonths = "chronology.decision_months" ["months"];
    ChronPolice = "chronology.police" ["status"];
    ChronPoliceNone = "chronology.police_none" [];
    ChronPoliceOpen = "chronology.police_open" [];
    ChronPoliceNfa = "chronology.police_nfa" [];
    ChronPoliceCharged = "chronology.police_charged" [];
    ChronPoliceTrialListed = "chronology.police_trial_listed" [];
    ChronPoliceConvicted = "chronology.police_convicted" [];
    ChronPoliceAcquitted = "chronology.police_acquitted" [];
    ChronTrial = "chronology.trial" [];
    ResponderPolice = "chronology.responder_police" [];
    ResponderLocalAuthority = "chronology.responder_local_authority" [];
    ResponderHomeOffice = "chronology.responder_home_office" [];
    ResponderNgo = "chronology.responder_ngo" [];
    ResponderGlaa = "chronology.responder_glaa" [];
    ResponderOther = "chronology.responder_other" [];
    ChronCharged = "chronology.charged" [];
    ChronChargedCount = "chronology.charged_count" ["n"];
    ChronChargedOne = "chronology.charged_one" [];
    ChronListed = "chronology.listed" [];
    ChronOfficerStatement = "chronology.officer_statement" [];
    ChronCicaLodged = "chronology.cica_lodged" [];
    ChronHearing = "chronology.hearing" ["forum"];
    ChronReferredFor = "chronology.referred_for" ["treatment"];
    ChronTreatmentBegins = "chronology.treatment_begins" ["treatment"];
    ChronTreatmentCompleted = "chronology.treatment_completed" ["treatment"];
    ChronTreatmentStopped = "chronology.treatment_stopped" ["treatment"];
    ChronEndedBecause = "chronology.ended_because" ["reason"];
    ChronIctgAllocated = "chronology.ictg_allocated" [];
    ChronIctgEnded = "chronology.ictg_ended" ["because"];
    ChronLookedAfterBegins = "chronology.looked_after_begins" ["authority"];
    ChronLookedAfterEnds = "chronology.looked_after_ends" ["because"];
    ChronSupportBegins = "chronology.support_begins" ["support"];
    ChronSupportEnds = "chronology.support_ends" ["support", "because"];
    ChronSupportDueToEnd = "chronology.support_due_to_end" ["support"];
    ChronSupportProvider = "chronology.support_provider" ["provider"];
    ChronSupportMsvcc = "chronology.support_msvcc" [];
    ChronSupportLocalAuthority = "chronology.support_local_authority" [];
    ChronSupportOutreach = "chronology.support_outreach" [];
    ChronSupportIsva = "chronology.support_isva" [];
    ChronBabyDue = "chronology.baby_due" [];
    ChronBabyDuePartner = "chronology.baby_due_partner" [];
    ChronAdultAccommodation = "chronology.adult_accommodation" ["by"];
    ChronReExploited = "chronology.re_exploited" [];
    ChronLeftAdultAccommodation = "chronology.left_adult_accommodation" [];
    ChronAgePreAction = "chronology.age_pre_action" [];
    ChronAgeClaimLodged = "chronology.age_claim_lodged" [];
    ChronAgePermissionGranted = "chronology.age_permission_granted" [];
    ChronAgePermissionRefused = "chronology.age_permission_refused" [];
    ChronAgeHearing = "chronology.age_hearing" [];
    ChronAgeDecided = "chronology.age_decided" [];
    ChronAgeDecidedOutcome = "chronology.age_decided_outcome" ["outcome"];
    ChronConviction = "chronology.conviction" ["offence"];
    ChronDeportationOrder = "chronology.deportation_order" [];
    ChronAppealLodged = "chronology.appeal_lodged" ["forum"];
    ChronAppealAllowed = "chronology.appeal_allowed" ["forum"];
    ChronAppealDismissed = "chronology.appeal_dismissed" ["forum"];
    ChronAppealWithdrawn = "chronology.appeal_withdrawn" ["forum"];
    ChronForumFirstTier = "chronology.forum_first_tier" [];
    ChronForumUpper = "chronology.forum_upper" [];
    ChronForumCourtOfAppeal = "chronology.forum_court_of_appeal" [];
    ChronAppealRightsExhausted = "chronology.appeal_rights_exhausted" [];
    ChronClaimFinallyDetermined = "chronology.claim_finally_determined" [];
    ChronRevocationRequested = "chronology.revocation_requested" [];
    ChronRevocationRefused = "chronology.revocation_refused" [];
    ChronRevocationGranted = "chronology.revocation_granted" [];
    ChronNotCharged = "chronology.not_charged" ["offence"];
    ChronNoFurtherAction = "chronology.no_further_action" ["offence"];
    ChronDiscontinuedAsVictim = "chronology.discontinued_as_victim" ["offence"];
    ChronS45Accepted = "chronology.s45_accepted" ["offence"];
    ChronConvictionQuashed = "chronology.conviction_quashed" ["offence"];
    ChronDecidedBy = "chronology.decided_by" ["by"];
    ChronLetter = "chronology.letter" [];
    IndexTab = "evidence_index.column_tab" [];
    IndexDocument = "evidence_index.column_document" [];
    IndexAuthor = "evidence_index.column_author" [];
    IndexDate = "evidence_index.column_date" [];
    IndexPages = "evidence_index.column_pages" [];
    IndexSupports = "evidence_index.column_supports" [];
    IndexNoTab = "evidence_index.no_tab" [];
    IndexLater = "evidence_index.later" ["document", "when"];
    IndexUnobtainable = "evidence_index.unobtainable" [];
    IndexToFollowBy = "evidence_index.to_follow_by" ["date"];
    IndexToFollow = "evidence_index.to_follow" [];
    SupportsFramework = "evidence_index.supports_framework" [];
    SupportsRecovery = "evidence_index.supports_recovery" [];
    SupportsPersonalSituation = "evidence_index.supports_personal_situation" [];
    SupportsChildBestInterests = "evidence_index.supports_child_best_interests" [];
    SupportsCompensation = "evidence_index.supports_compensation" [];
    SupportsCooperation = "evidence_index.supports_cooperation" [];
    SupportsSuitability = "evidence_index.supports_suitability" [];
    SupportsDuration = "evidence_index.supports_duration" [];
}

/// The phrases of one library.
#[derive(Debug, Clone)]
pub struct Phrases {
    text: BTreeMap<Phrase, String>,
}

/// The phrases shipped with vtsdraft, used by a `--clauses` folder that has none of its own.
pub const BUILTIN_FILE: &str = "clauses/phrases.toml";

impl Phrases {
    /// The built-in phrases (checked by a unit test, so this cannot fail in a release).
    pub fn builtin() -> Phrases {
        let text = crate::clauses::embedded_file(BUILTIN_FILE).expect("the phrases are embedded");
        Phrases::parse(Path::new(BUILTIN_FILE), text).expect("the built-in phrases are valid")
    }

    /// Reads `phrases.toml`: every phrase present, no unknown key, placeholders only as listed.
    pub fn parse(path: &Path, text: &str) -> Result<Phrases, Vec<Diagnostic>> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            vec![
                Diagnostic::error(Code::BadPhrases, format!("phrases: {}", e.message()))
                    .at_opt(e.span().map(|s| Location::at(path, text, s.start))),
            ]
        })?;
        let at = |key: &str| {
            let last = key.rsplit('.').next().unwrap_or(key);
            let offset = text.find(&format!("{last} =")).unwrap_or(0);
            Location::at(path, text, offset)
        };
        let mut found = BTreeMap::new();
        let mut problems = Vec::new();
        for (section, value) in &table {
            let Some(entries) = value.as_table() else {
                problems.push(
                    Diagnostic::error(
                        Code::BadPhrases,
                        format!("`{section}` should be a table of phrases"),
                    )
                    .at(at(section)),
                );
                continue;
            };
            for (name, value) in entries {
                let key = format!("{section}.{name}");
                let Some(phrase) = Phrase::ALL.iter().find(|p| p.key() == key) else {
                    let mut d = Diagnostic::error(
                        Code::BadPhrases,
                        format!("`{key}` is not a phrase vtsdraft uses"),
                    )
                    .at(at(&key));
                    if let Some(near) = did_you_mean(&key, Phrase::ALL.iter().map(|p| p.key())) {
                        d = d.hint(format!("did you mean `{near}`?"));
                    }
                    problems.push(d);
                    continue;
                };
                let Some(value) = value.as_str() else {
                    problems.push(
                        Diagnostic::error(Code::BadPhrases, format!("`{key}` should be text"))
                            .at(at(&key)),
                    );
                    continue;
                };
                for used in placeholders(value) {
                    if !phrase.placeholders().contains(&used) {
                        let allowed = phrase.placeholders();
                        problems.push(
                            Diagnostic::error(
                                Code::BadPhrases,
                                format!("`{key}` uses `{{{used}}}`, which it is not given"),
                            )
                            .at(at(&key))
                            .hint(if allowed.is_empty() {
                                "this phrase takes no placeholders".to_string()
                            } else {
                                format!(
                                    "it may use {}",
                                    allowed
                                        .iter()
                                        .map(|p| format!("`{{{p}}}`"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            }),
                        );
                    }
                }
                found.insert(*phrase, value.to_string());
            }
        }
        for phrase in Phrase::ALL {
            if !found.contains_key(phrase) {
                problems.push(
                    Diagnostic::error(
                        Code::BadPhrases,
                        format!("phrase `{}` is missing", phrase.key()),
                    )
                    .at(Location::file(path))
                    .hint(format!(
                        "copy it from the built-in `{BUILTIN_FILE}` and reword it as needed"
                    )),
                );
            }
        }
        if problems.is_empty() {
            Ok(Phrases { text: found })
        } else {
            Err(problems)
        }
    }

    /// The phrase as written (for phrases without placeholders).
    pub fn text(&self, phrase: Phrase) -> &str {
        self.text.get(&phrase).map_or("", String::as_str)
    }

    /// The phrase with each `{name}` replaced by its value.
    pub fn fill(&self, phrase: Phrase, values: &[(&str, &str)]) -> String {
        let mut out = self.text(phrase).to_string();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

/// The `{name}`s a phrase uses.
fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> &'static str {
        crate::clauses::embedded_file(BUILTIN_FILE).expect("embedded")
    }

    #[test]
    fn the_built_in_phrases_are_complete_and_fill_their_placeholders() {
        let phrases = Phrases::parse(Path::new(BUILTIN_FILE), builtin()).unwrap();
        assert_eq!(
            phrases.fill(Phrase::FlagTrialListed, &[("date", "3 March 2027")]),
            "TRIAL LISTED 3 March 2027"
        );
        for phrase in Phrase::ALL {
            assert!(!phrases.text(*phrase).is_empty(), "{}", phrase.key());
        }
    }

    #[test]
    fn missing_unknown_and_misused_phrases_are_refused_with_the_key() {
        let text = builtin()
            .replace("closing = ", "closng = ")
            .replace("\"CHILD\"", "\"CHILD {name}\"");
        let problems = Phrases::parse(Path::new("p.toml"), &text).unwrap_err();
        let messages: Vec<String> = problems
            .iter()
            .map(|d| format!("{} {:?}", d.message, d.hints))
            .collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`letter.closng` is not a phrase")
                    && m.contains("letter.closing")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`flags.child` uses `{name}`")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("phrase `letter.closing` is missing")),
            "{messages:?}"
        );
    }
}
