//! The typed case model: every fact a VTS representation can rely on (brief section 7).
//!
//! The doc comments on these types are user-facing: `vtsdraft new` prints them as the
//! questionnaire's help text and the validator quotes them in hints, so they are written for the
//! paralegal filling in the case, not for programmers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::date::{Date, PartialDate};

/// One client's case: the facts a representation letter is built from.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The matter and the letter to be written.
    pub matter: Matter,
    /// The firm and fee earner sending the letter (or pass `--firm firm.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<Representative>,
    /// Who the client is.
    pub client: Client,
    /// Arrival, leave, asylum claim and deportation.
    #[serde(default)]
    pub immigration: Immigration,
    /// The National Referral Mechanism decisions.
    pub nrm: Nrm,
    /// The exploitation accepted in the conclusive grounds decision.
    #[serde(default)]
    pub exploitation: Exploitation,
    /// Health conditions and treatment.
    #[serde(default)]
    pub health: Health,
    /// Compensation claims (CICA, civil and employment claims).
    #[serde(default)]
    pub compensation: Compensation,
    /// Police investigation and prosecution in which the client is a victim or witness.
    #[serde(default)]
    pub criminal_justice: CriminalJustice,
    /// Care, guardianship, education and the client's own children.
    #[serde(default)]
    pub family: Family,
    /// Convictions and pending charges.
    #[serde(default)]
    pub suitability: Suitability,
    /// Every document relied on, enclosed or still to come. Tab numbers are given in this order.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// The solicitor's own drafting for this letter: paragraphs added, clauses reworded, left out
    /// or brought in. Kept across every rebuild; `vtsdraft absorb` writes these from an edited
    /// Word file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drafting: Vec<Instruction>,
}

/// One drafting instruction. `clause` and `version` record the clause it was written against;
/// `reason` is required to leave out (`omit`) or bring in (`include`) a clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instruction {
    /// What to do with the letter.
    pub action: DraftingAction,
    /// The clause it is about, e.g. `rec.physical_health` (`vtsdraft clauses list` shows the ids).
    /// For `add`, the new text follows this clause's paragraphs; leave it out to add at the start
    /// or end of a section instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// The version of `clause` this was written against (`explain` shows each clause's version);
    /// `check` warns when the library has a newer one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// For `add` without a `clause`: the section the text goes in, e.g. `recovery` or `request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// For `add` without a `clause`: the `start` or the `end` of `section`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<DraftingPlace>,
    /// The text for `add` and `replace`, written like a clause body: paragraphs separated by a
    /// blank line, `*italic*`, `**bold**`, lists with `- `, `{{tab "evidence-id"}}` for an
    /// evidence reference and `{{cite "authority"}}` for a citation; `\*` for a literal `*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Why: required for `omit` and `include`, shown by `explain` and the reviewer's copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The clause's text as it read when this was written (filled in by `vtsdraft absorb`), so
    /// that `check` can show what changed when the library moves on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
}

/// What a drafting instruction does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DraftingAction {
    /// Add the solicitor's own paragraph(s).
    Add,
    /// Use the solicitor's text instead of a clause's text, in this letter only.
    Replace,
    /// Leave out a clause the facts selected.
    Omit,
    /// Bring in a clause the facts did not select.
    Include,
}

impl DraftingAction {
    /// `add`, `replace`, `omit` or `include`, as written in the case file.
    pub fn name(self) -> &'static str {
        match self {
            DraftingAction::Add => "add",
            DraftingAction::Replace => "replace",
            DraftingAction::Omit => "omit",
            DraftingAction::Include => "include",
        }
    }
}

/// Where in a section an added paragraph goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DraftingPlace {
    /// Before the section's first paragraph.
    Start,
    /// After the section's last paragraph.
    End,
}

/// The matter and the letter.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Matter {
    /// The firm's matter reference, e.g. `VTS-2026-0141`. Also names the output files.
    pub reference: String,
    /// What kind of letter this is.
    pub letter_mode: LetterMode,
    /// The date the letter will bear. Ages "now" and time limits are worked out at this date.
    #[schemars(extend("x-day-needed" = "ages at the letter date and every time limit are worked out from it"))]
    pub letter_date: Date,
    /// Who the letter goes to.
    #[serde(default)]
    pub addressee: Addressee,
    /// The date the Home Office's current-circumstances questionnaire was received, if it was.
    #[schemars(extend("x-day-needed" = "the letter gives the day the firm received it; leave it out if that is not known"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questionnaire_received: Option<Date>,
    /// Earlier VTS or MSDL decisions on this client (needed for a reconsideration).
    #[serde(default)]
    pub previous_decisions: Vec<PreviousDecision>,
    /// For a reconsideration: the grounds the solicitor relies on beyond answering the refusal's
    /// own reasons, one sentence each, e.g. `The decision did not consider the therapist's letter
    /// of 3 March 2026.`
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reconsideration_grounds: Vec<String>,
    /// Months of leave to request, if the solicitor wants a figure other than the computed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_duration_months: Option<u32>,
    /// Why the solicitor chose `requested_duration_months` (required when it is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_reason: Option<String>,
    /// Whether the letter also makes a human rights claim (Article 8 ECHR: private and family
    /// life), with its own analysis; without it the letter argues only for leave under s.65.
    #[serde(default)]
    pub human_rights_claim: bool,
    /// Extra flags to print at the top of the letter (most are worked out from the facts).
    #[serde(default)]
    pub urgency_flags: Vec<UrgencyFlag>,
}

/// The kind of letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LetterMode {
    /// Representations before the first VTS decision (after a positive conclusive grounds decision).
    PreDecision,
    /// A request to reconsider a VTS or MSDL refusal or a short grant.
    Reconsideration,
    /// Covering representations for an extension application on form FLR(HRO).
    ExtensionFlrHro,
    /// A request for discretionary leave under the KTT transitional provisions (DL policy v10).
    KttDlRequest,
}

/// Where the letter goes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Addressee {
    /// The Home Office unit.
    #[serde(default)]
    pub unit: AddresseeUnit,
    /// Postal or email address lines, exactly as they should appear (check the current address
    /// before sending: the tool does not know it).
    #[serde(default)]
    pub address: Vec<String>,
}

/// Home Office units a representation can be sent to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AddresseeUnit {
    /// The VTS decision-making team.
    #[default]
    VtsTeam,
    /// The Single Competent Authority.
    Sca,
    /// The Immigration Enforcement Competent Authority.
    Ieca,
    /// The Home Office litigation unit.
    LitigationUnit,
    /// Another unit (give the address lines).
    Other,
}

/// Flags printed prominently at the top of the letter.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UrgencyFlag {
    /// Current leave is about to expire.
    LeaveExpiring,
    /// Removal directions have been set.
    RemovalDirections,
    /// The client is detained.
    Detention,
    /// A criminal trial in which the client is a witness is imminent.
    TrialImminent,
    /// The client is a child.
    Child,
    /// The client's age is disputed.
    AgeDisputed,
    /// Deportation order or proceedings.
    Deportation,
    /// A safeguarding risk: do not contact the client directly.
    SafeguardingRisk,
}

/// An earlier decision on leave for this client.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviousDecision {
    /// What was decided.
    pub kind: PreviousDecisionKind,
    /// The date of the decision letter.
    #[schemars(extend("x-day-needed" = "the 30-day reconsideration and three-month judicial review time limits run from the decision's date"))]
    pub date: Date,
    /// The Home Office's reference on the decision, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Months of leave granted (for a grant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_months: Option<u32>,
    /// The Home Office's reasons, in a sentence or two, as the letter should describe them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons_summary: Option<String>,
}

/// Kinds of earlier leave decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PreviousDecisionKind {
    /// VTS leave granted.
    VtsGrant,
    /// VTS leave refused.
    VtsRefusal,
    /// Modern-slavery discretionary leave granted (before 30 January 2023).
    MsdlGrant,
    /// Modern-slavery discretionary leave refused.
    MsdlRefusal,
}

/// The firm and fee earner.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Representative {
    /// The firm's name as it appears on its letterhead.
    pub firm_name: String,
    /// The firm's postal address, one line per item.
    pub address: Vec<String>,
    /// The firm's telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The firm's or fee earner's email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The firm's regulator.
    pub regulator: Regulator,
    /// The firm's number with its regulator (e.g. SRA number).
    pub regulator_number: String,
    /// The solicitor or caseworker who signs the letter.
    pub fee_earner: String,
    /// The supervising solicitor, if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor: Option<String>,
    /// Whether the work is funded by legal aid.
    #[serde(default)]
    pub legal_aid: bool,
    /// The legal aid certificate or matter reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_aid_reference: Option<String>,
}

/// Regulators of immigration advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Regulator {
    /// Solicitors Regulation Authority.
    Sra,
    /// Immigration Advice Authority (formerly OISC).
    Iaa,
    /// Another regulator.
    Other,
}

/// The client's identity.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// Full name as the Home Office knows it.
    pub full_name: String,
    /// Other names the client has been known by.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// How the letter refers to the client: `Ms`, `Mr`, `Mx`, or leave out to use the full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// How the letter names the client after the first mention, e.g. `Ms Okonkwo` (or the name
    /// the client prefers, in their own naming order); leave out to repeat the full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Pronouns used in the letter.
    pub pronouns: Pronouns,
    /// Date of birth the client gives.
    #[schemars(extend("x-day-needed" = "the client's age at every date, and whether they were a child then, are worked out from it"))]
    pub dob_claimed: Date,
    /// Date of birth accepted by the Home Office or local authority, only if it differs.
    #[schemars(extend("x-day-needed" = "the client's age at every date on this date of birth is worked out from it"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob_accepted: Option<Date>,
    /// The state of any dispute about the client's age.
    #[serde(default)]
    pub age_dispute: AgeDisputeStatus,
    /// Age assessments carried out.
    #[serde(default)]
    pub age_assessments: Vec<AgeAssessment>,
    /// Each step of a challenge to an age assessment, earliest first, with its date.
    /// (A pre-action letter, the judicial review claim, permission, the hearing, the decision.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub age_challenge: Vec<AgeChallengeStep>,
    /// A placement in adult accommodation after an age assessment, and what happened there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adult_accommodation: Option<AdultAccommodation>,
    /// Nationalities, as country names (e.g. `Vietnam`). Leave empty and set `stateless` if none.
    #[serde(default)]
    pub nationality: Vec<String>,
    /// Whether the client is stateless.
    #[serde(default)]
    pub stateless: bool,
    /// Languages the client speaks, main language first.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Whether the client needs an interpreter.
    #[serde(default)]
    pub interpreter_needed: bool,
    /// The Home Office must contact the client only through the representative (safety).
    #[serde(default = "yes")]
    pub contact_via_representative_only: bool,
    /// The UK nation where the client lives (child-welfare and support law differ).
    #[serde(default)]
    pub uk_nation: UkNation,
}

fn yes() -> bool {
    true
}

/// Pronouns for the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pronouns {
    /// she / her
    She,
    /// he / him
    He,
    /// they / them
    They,
}

/// Where an age dispute stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgeDisputeStatus {
    /// No dispute about age.
    #[default]
    None,
    /// Age disputed; assessment pending.
    DisputedPending,
    /// Assessed as an adult.
    AssessedAdult,
    /// Assessed as a child.
    AssessedChild,
    /// The assessment is being challenged by judicial review.
    ChallengedJr,
    /// The dispute is resolved.
    Resolved,
}

/// One age assessment.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgeAssessment {
    /// Who assessed age.
    pub by: AgeAssessor,
    /// The date of the assessment (month or year is enough if that is all that is known).
    pub date: PartialDate,
    /// The date of birth the assessment gave.
    #[schemars(extend("x-day-needed" = "the client's age on the assessment's date of birth is worked out from it"))]
    pub outcome_dob: Date,
    /// Whether the assessment was Merton-compliant, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merton_compliant: Option<bool>,
    /// Whether it is being challenged.
    #[serde(default)]
    pub challenged: bool,
    /// The evidence `id` of the court's order or decision on the challenge, if enclosed.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_evidence: Option<String>,
}

/// One step in a challenge to an age assessment.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgeChallengeStep {
    /// What happened.
    pub stage: AgeChallengeStage,
    /// When it happened; for `hearing_listed`, the date of the hearing itself (a month or year
    /// alone if that is all the file says).
    pub date: PartialDate,
    /// For `decided`: what the court or tribunal decided, in the words the letter should use
    /// after "the court", e.g. `found that he was born on 1 March 2009`. Only what the order or
    /// judgment says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The evidence `id` of the letter, claim form, order or judgment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "evidence-id"))]
    pub evidence: Option<String>,
}

/// The steps of a challenge to an age assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(extend("x-synonyms" = {
    "pre_action_letter": ["letter before claim", "pap letter", "pre-action protocol letter"],
    "claim_lodged": ["jr lodged", "claim issued", "judicial review lodged"],
    "hearing_listed": ["hearing date", "fact-finding hearing"],
    "decided": ["judgment", "determined", "concluded"],
}))]
pub enum AgeChallengeStage {
    /// A pre-action protocol letter was sent to the assessing authority.
    PreActionLetter,
    /// A claim for judicial review was lodged.
    ClaimLodged,
    /// Permission to bring the claim was granted.
    PermissionGranted,
    /// Permission to bring the claim was refused.
    PermissionRefused,
    /// A hearing was listed (give the hearing date).
    HearingListed,
    /// The court or tribunal decided the client's age (give the `outcome`).
    Decided,
}

/// A placement in adult accommodation after an age assessment.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdultAccommodation {
    /// When the client was placed there (a month or year alone if that is all the file says).
    pub date: PartialDate,
    /// Who placed the client there, as the letter should name them, e.g. `the Home Office` or
    /// `Kentmere County Council`.
    pub placed_by: String,
    /// The kind of accommodation in a few words, e.g. `an asylum hotel for adult men`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When the client left it, if they have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<PartialDate>,
    /// The evidence `id` of the document that records the placement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "evidence-id"))]
    pub evidence: Option<String>,
    /// If the client was exploited again while placed there: when (month or year is enough).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub re_exploitation_date: Option<PartialDate>,
    /// If the client was exploited again while placed there: what the evidence records, in one
    /// non-graphic sentence the letter can quote after "the evidence records that", e.g. `he was
    /// collected from the hotel by men connected to his traffickers and made to work in a car
    /// wash`. Only what the evidence says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub re_exploitation: Option<String>,
    /// The evidence `id` of the document that records the re-exploitation (police, social
    /// worker or NRM referral).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "evidence-id"))]
    pub re_exploitation_evidence: Option<String>,
}

/// Bodies that assess age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgeAssessor {
    /// A local authority.
    LocalAuthority,
    /// The National Age Assessment Board.
    Naab,
    /// A court or tribunal.
    Court,
}

/// UK nations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UkNation {
    #[default]
    England,
    Wales,
    Scotland,
    NorthernIreland,
}

/// Immigration history and status.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Immigration {
    /// When the client arrived in the UK (month or year is enough if that is all that is known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_date: Option<PartialDate>,
    /// How the client arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_mode: Option<ArrivalMode>,
    /// Visas held.
    #[serde(default)]
    pub visas: Vec<Visa>,
    /// The client's leave on the date of the conclusive grounds decision.
    #[serde(default)]
    pub leave_at_cg_date: LeaveAtCg,
    /// Leave the client holds now, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_leave: Option<CurrentLeave>,
    /// Home Office reference (CID person ID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_office_reference: Option<String>,
    /// Port reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_reference: Option<String>,
    /// Asylum unique application number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asylum_uan: Option<String>,
    /// The client's asylum or humanitarian protection claim.
    #[serde(default)]
    pub asylum: Asylum,
    /// Deportation.
    #[serde(default)]
    pub deportation: Deportation,
    /// Whether the client is detained now.
    #[serde(default)]
    pub detained: bool,
}

/// How the client arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArrivalMode {
    /// With a visa.
    Visa,
    /// Clandestinely.
    Clandestine,
    /// By small boat.
    SmallBoat,
    /// Hidden in a lorry.
    Lorry,
    /// Another way.
    Other,
}

/// A visa the client held.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Visa {
    /// The visa category.
    pub category: VisaCategory,
    /// When it started.
    pub start: PartialDate,
    /// When it ended or expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    /// Why it ended, in a few words the letter can use after "ended because", e.g. `the
    /// employer's sponsor licence was revoked`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_because: Option<String>,
    /// Whether it was curtailed.
    #[serde(default)]
    pub curtailed: bool,
    /// The evidence `id` of the visa or its grant letter in the evidence list, if enclosed.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Visa categories that matter to the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisaCategory {
    /// Overseas Domestic Worker.
    OverseasDomesticWorker,
    /// Domestic worker in a private household.
    DomesticWorkerPrivateHousehold,
    /// Private servant in a diplomatic household (Temporary Work – International Agreement).
    DiplomaticHouseholdServant,
    /// Health and care worker.
    HealthCareWorker,
    /// Student.
    Student,
    /// Visitor.
    Visitor,
    /// Another category.
    Other,
}

/// Leave held on the date of the conclusive grounds decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeaveAtCg {
    /// No leave.
    #[default]
    None,
    /// Leave in another category.
    OtherCategory,
    /// VTS leave.
    Vts,
    /// Modern-slavery discretionary leave.
    Msdl,
    /// Leave extended by section 3C of the Immigration Act 1971.
    Section3c,
}

/// Leave held now.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CurrentLeave {
    /// The category of leave, as the grant letter names it.
    pub category: String,
    /// When it expires.
    #[schemars(extend("x-day-needed" = "whether the leave has expired by the letter date is decided to the day"))]
    pub expiry: Date,
}

/// The asylum or humanitarian protection claim.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Asylum {
    /// Where the claim stands.
    #[serde(default)]
    pub status: AsylumStatus,
    /// When the claim was made (month or year is enough if that is all that is known; whether
    /// the claim was outstanding at the CG decision, for the KTT cohort, may need the day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_date: Option<PartialDate>,
    /// The evidence `id` of the record that the claim was made (acknowledgement letter,
    /// screening interview record), if enclosed.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_evidence: Option<String>,
    /// Whether the claim relies, at least in part, on a fear of being trafficked again.
    #[serde(default)]
    pub basis_includes_retrafficking: bool,
    /// The basis of the claim in a few words (e.g. `political opinion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Date of the Home Office decision on the claim, if made (month or year is enough if that
    /// is all that is known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_date: Option<PartialDate>,
    /// Tribunal appeal reference, if appealing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal_reference: Option<String>,
    /// Appeal hearing date, if listed.
    #[schemars(extend("x-day-needed" = "a hearing is listed for a day; leave it out until it is"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hearing_date: Option<Date>,
    /// The date the claim was finally determined (appeal rights exhausted or granted), if it was
    /// (month or year is enough if that is all that is known). Until this date the claim counts as pending (it decides, for example, whether the claim was
    /// outstanding when the conclusive grounds decision was made).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_determination_date: Option<PartialDate>,
    /// Appeals against the refusal of the claim, earliest first.
    /// The tribunal's appeal first, then any onward appeal, each with its outcome and date.
    #[serde(default)]
    pub appeals: Vec<Appeal>,
}

/// One appeal against the refusal of a protection claim.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appeal {
    /// The court or tribunal that heard (or will hear) the appeal.
    pub forum: AppealForum,
    /// When the appeal was lodged (a month or year alone if that is all the file says).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lodged: Option<PartialDate>,
    /// Where the appeal stands.
    pub outcome: AppealOutcome,
    /// The date of the decision, or of the withdrawal (leave out while it is pending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided: Option<PartialDate>,
    /// The evidence `id` of the decision or determination in the evidence list, if enclosed.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Courts and tribunals that hear protection appeals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppealForum {
    /// The First-tier Tribunal (Immigration and Asylum Chamber).
    FirstTierTribunal,
    /// The Upper Tribunal (Immigration and Asylum Chamber).
    UpperTribunal,
    /// The Court of Appeal (or the Court of Session).
    CourtOfAppeal,
}

/// Where an appeal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    /// Not yet decided.
    Pending,
    /// Allowed.
    Allowed,
    /// Dismissed.
    Dismissed,
    /// Withdrawn before a decision.
    Withdrawn,
}

/// Where an asylum claim stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AsylumStatus {
    /// No asylum claim.
    #[default]
    NotClaimed,
    /// Awaiting the Home Office's initial decision.
    PendingInitial,
    /// Refused, no appeal lodged yet.
    Refused,
    /// Appeal pending at the tribunal.
    AppealPending,
    /// Appeal rights exhausted.
    AppealRightsExhausted,
    /// Refugee status granted.
    GrantedRefugee,
    /// Humanitarian protection granted.
    GrantedHp,
}

/// Deportation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deportation {
    /// Where deportation stands.
    #[serde(default)]
    pub status: DeportationStatus,
    /// Date of the deportation order, if made (month or year is enough if that is all that is
    /// known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_date: Option<PartialDate>,
    /// The evidence `id` of the deportation order in the evidence list, if enclosed.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_evidence: Option<String>,
    /// A request to the Home Office to revoke the deportation order, if one was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_request: Option<RevocationRequest>,
}

/// A request to revoke a deportation order.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RevocationRequest {
    /// When the request was made (a month or year alone if that is all the file says).
    pub date: PartialDate,
    /// Where the request stands.
    pub outcome: RevocationOutcome,
    /// The date of the Home Office's decision on the request (leave out while it is pending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided: Option<PartialDate>,
    /// The evidence `id` of the request (or of the decision on it) in the evidence list.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Where a request to revoke a deportation order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevocationOutcome {
    /// Not yet decided.
    Pending,
    /// Refused.
    Refused,
    /// The order was revoked (set `status = "revoked"` too).
    Granted,
}

/// Where deportation stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeportationStatus {
    /// Not liable to deportation.
    #[default]
    None,
    /// Liable to deportation; no proceedings yet.
    Liable,
    /// Deportation proceedings started.
    ProceedingsStarted,
    /// Deportation order made.
    OrderMade,
    /// Order revoked.
    Revoked,
}

/// The National Referral Mechanism.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Nrm {
    /// NRM reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The first responder who referred the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_responder: Option<FirstResponder>,
    /// Date of the NRM referral (month is enough if that is all that is known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_date: Option<PartialDate>,
    /// The reasonable grounds decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rg_decision: Option<RgDecision>,
    /// The conclusive grounds decision (must be positive for VTS leave).
    pub cg_decision: CgDecision,
    /// Whether the conclusive grounds minute (reasons) has been obtained.
    #[serde(default)]
    pub cg_minute_obtained: bool,
    /// Any section 63 (public order / bad faith) disqualification decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s63_determination: Option<S63Determination>,
    /// Support the client receives.
    #[serde(default)]
    pub support: Support,
}

/// The first responder.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstResponder {
    /// The kind of first responder.
    pub kind: FirstResponderKind,
    /// Its name, e.g. `Metropolitan Police Service`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Kinds of first responder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(extend("x-synonyms" = {
    "ngo": ["charity", "salvation army", "barnardos"],
    "local_authority": ["council", "social services", "children's services"],
    "glaa": ["gangmasters", "gangmasters and labour abuse authority"],
}))]
pub enum FirstResponderKind {
    Police,
    LocalAuthority,
    HomeOffice,
    Ngo,
    Glaa,
    Other,
}

/// NRM decision outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Positive.
    Positive,
    /// Negative.
    Negative,
    /// Positive after reconsideration.
    ReconsideredPositive,
}

/// Competent authorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompetentAuthority {
    /// Single Competent Authority.
    Sca,
    /// Immigration Enforcement Competent Authority.
    Ieca,
}

/// The reasonable grounds decision.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RgDecision {
    /// The outcome.
    pub outcome: Outcome,
    /// The date (month is enough if that is all that is known).
    pub date: PartialDate,
    /// Which competent authority decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<CompetentAuthority>,
}

/// The conclusive grounds decision.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CgDecision {
    /// The outcome (VTS leave needs a positive decision).
    pub outcome: Outcome,
    /// The date of the decision (month or year is enough if that is all that is known; the day
    /// may be needed to decide whether the client was a child then, the KTT cohort and the
    /// 28-day DWMS time limit, and a warning says so when it is).
    pub date: PartialDate,
    /// Which competent authority decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<CompetentAuthority>,
    /// Types of exploitation the decision accepted.
    #[serde(default)]
    pub exploitation_types: Vec<ExploitationKind>,
    /// Countries where the decision accepted the exploitation took place.
    #[serde(default)]
    pub countries: Vec<String>,
}

/// A section 63 determination.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct S63Determination {
    /// The ground relied on.
    pub ground: S63Ground,
    /// The date of the determination (month or year is enough if that is all that is known).
    pub date: PartialDate,
}

/// Grounds for a section 63 determination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum S63Ground {
    /// Threat to public order.
    PublicOrder,
    /// Victim status claimed in bad faith.
    BadFaith,
}

/// Support the client receives.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Support {
    /// The kind of support.
    #[serde(default)]
    pub kind: SupportKind,
    /// The outcome of any Recovery Needs Assessment, in a sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rna_outcome: Option<String>,
    /// Who provides it, as the letter should name them, e.g. `The Salvation Army` or
    /// `Kentmere Rape Crisis ISVA service`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// When the support started (month or year is enough).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    /// When support ends or ended, if known. A date before the letter date means the support has
    /// ended, and the letter describes it as past support.
    #[schemars(extend("x-day-needed" = "the letter gives the day support ends; leave it out if that is not known"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Date>,
    /// For support that has ended: why, in a few words the letter can use after "ended because",
    /// e.g. `she moved out of the safe house to another city`. Only what the file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_because: Option<String>,
    /// The evidence `id` of the support worker's letter or exit notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "evidence-id"))]
    pub evidence: Option<String>,
}

/// Kinds of support.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SupportKind {
    /// No support.
    #[default]
    None,
    /// Modern Slavery Victim Care Contract support.
    Msvcc,
    /// Local authority children's services.
    LocalAuthorityChildren,
    /// Outreach support.
    Outreach,
    /// An Independent Sexual Violence Adviser (ISVA) or another specialist support worker.
    Isva,
}

/// The exploitation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exploitation {
    /// Periods of exploitation, earliest first.
    #[serde(default)]
    pub episodes: Vec<Episode>,
    /// Whether the client reports that the traffickers still threaten the client or the
    /// client's family (what the client says has happened; a general risk shown by country
    /// evidence goes in `risk_on_return` instead).
    #[serde(default)]
    pub ongoing_threats: bool,
    /// Whether the traffickers are in the client's home area.
    #[serde(default)]
    pub traffickers_in_home_area: bool,
    /// Whether the client is held in debt bondage (a debt the traffickers still claim).
    #[serde(default)]
    pub debt_outstanding: bool,
    /// Country evidence of a risk of re-trafficking on return.
    /// What the evidence shows for people in the client's position, not threats the client
    /// reports (those are `ongoing_threats`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_on_return: Option<RiskOnReturn>,
}

/// What country evidence says about the risk on return for people in the client's position.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskOnReturn {
    /// The country of return, e.g. `Vietnam`.
    pub country: String,
    /// What the evidence shows, worded to follow "the country evidence shows that", e.g.
    /// `returnees who still owe debts to trafficking networks are at risk of being trafficked
    /// again`. Say only what the document says, about people in the client's position.
    pub evidence_shows: String,
    /// The evidence `id` of the country report or expert report that shows it.
    #[schemars(extend("format" = "evidence-id"))]
    pub evidence: String,
}

/// One period of exploitation.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Episode {
    /// The type of exploitation.
    pub kind: ExploitationKind,
    /// Countries where it took place.
    #[serde(default)]
    pub countries: Vec<String>,
    /// When it started (month or year is enough).
    pub start: PartialDate,
    /// When it ended (leave out if it has not ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    /// Whether it took place in the UK.
    #[serde(default)]
    pub in_uk: bool,
    /// The exploiters' relationship to the client.
    #[serde(default)]
    pub exploiter: ExploiterRelationship,
    /// Means used (force, threats, …).
    #[serde(default)]
    pub means: Vec<Means>,
    /// A short, non-graphic description as accepted in the CG decision (one sentence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// Types of exploitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExploitationKind {
    /// Sexual exploitation.
    Sexual,
    /// Labour exploitation.
    Labour,
    /// Domestic servitude.
    DomesticServitude,
    /// Criminal exploitation: county lines drug supply.
    CriminalCountyLines,
    /// Criminal exploitation: cannabis cultivation.
    CriminalCannabis,
    /// Other criminal exploitation.
    CriminalOther,
    /// Forced marriage.
    ForcedMarriage,
    /// Organ removal.
    OrganRemoval,
    /// Financial exploitation.
    Financial,
    /// Another type.
    Other,
}

/// Who the exploiters were to the client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExploiterRelationship {
    Stranger,
    Family,
    Partner,
    Employer,
    Gang,
    #[default]
    Unknown,
}

/// Means of control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Means {
    Force,
    Threats,
    Deception,
    DebtBondage,
    DocumentRetention,
    AbuseOfVulnerability,
}

/// Health and recovery.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Health {
    /// Diagnosed or clinically described conditions.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Treatment: therapy, medication, specialist care.
    #[serde(default)]
    pub treatments: Vec<Treatment>,
    /// Whether a clinician says secure status is needed for the client's recovery.
    #[serde(default)]
    pub clinician_says_status_needed: bool,
    /// The evidence `id` where the clinician says so.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinician_status_evidence: Option<String>,
    /// What is known about treatment in the country of return.
    #[serde(default)]
    pub treatment_abroad: TreatmentAbroad,
    /// Risk of suicide or self-harm.
    #[serde(default)]
    pub self_harm_risk: SelfHarmRisk,
    /// Whether there is a learning disability, cognitive impairment or a concern about capacity.
    #[serde(default)]
    pub disability_or_capacity_concern: bool,
}

/// A health condition.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The condition as the clinician names it, e.g. `complex PTSD`.
    pub name: String,
    /// Psychological or physical.
    pub kind: ConditionKind,
    /// ICD-11 code, if the clinician gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icd_code: Option<String>,
    /// The evidence `id` of the document that diagnoses or describes it.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Whether that evidence says the condition arises from the exploitation.
    #[serde(default)]
    pub linked_to_exploitation: bool,
}

/// Kinds of condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConditionKind {
    Psychological,
    Physical,
}

/// One treatment.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Treatment {
    /// The kind of treatment.
    pub kind: TreatmentKind,
    /// What it is, e.g. `trauma-focused CBT` or `sertraline 100mg`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who provides it, e.g. `Camden NHS Talking Therapies`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Where it stands.
    pub status: TreatmentStatus,
    /// When it started or is due to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    /// When it is planned to end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_end: Option<PartialDate>,
    /// When it actually ended (completed or declined treatment only; month is enough). A
    /// completed treatment is never described as current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    /// Sessions planned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions_planned: Option<u32>,
    /// Sessions attended so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions_attended: Option<u32>,
    /// The evidence `id` of the document that describes it.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Kinds of treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TreatmentKind {
    Therapy,
    Medication,
    Specialist,
    Physical,
}

/// Where a treatment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(extend("x-synonyms" = {
    "referred": ["referral made", "awaiting assessment"],
    "waiting_list": ["waiting", "awaiting treatment", "on the list"],
    "ongoing": ["under way", "in progress", "receiving", "current", "started"],
    "completed": ["finished", "done", "discharged"],
    "declined": ["refused", "turned down"],
}))]
pub enum TreatmentStatus {
    /// Referred, not yet accepted.
    Referred,
    /// On a waiting list.
    WaitingList,
    /// Under way.
    Ongoing,
    /// Finished.
    Completed,
    /// Declined.
    Declined,
}

/// Treatment in the country of return.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TreatmentAbroad {
    /// Whether the treatment exists there.
    #[serde(default)]
    pub available: Availability,
    /// Whether this client could actually get it (cost, stigma, safety, distance).
    #[serde(default)]
    pub accessible_to_client: Availability,
    /// The evidence `id` of the country or expert evidence.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Yes / limited / no / unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    Yes,
    Limited,
    No,
    #[default]
    Unknown,
}

/// Risk of suicide or self-harm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SelfHarmRisk {
    #[default]
    None,
    Historic,
    Current,
}

/// Compensation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compensation {
    /// The Criminal Injuries Compensation Authority claim.
    #[serde(default)]
    pub cica: Cica,
    /// Civil or employment claims.
    #[serde(default)]
    pub civil_claims: Vec<CivilClaim>,
    /// Why the client must be in the UK to pursue compensation.
    #[serde(default)]
    pub presence_needed_reasons: Vec<PresenceReason>,
}

/// A CICA claim.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cica {
    /// Where the claim stands.
    #[serde(default)]
    pub status: CicaStatus,
    /// CICA reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// When the application was lodged (month or year is enough if that is all that is known;
    /// whether it was in time may then need the day, and a warning says so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lodged_date: Option<PartialDate>,
    /// The date the time limit runs from (usually when the exploitation ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_runs_from: Option<PartialDate>,
}

/// Where a CICA claim stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CicaStatus {
    /// No claim.
    #[default]
    None,
    /// Being prepared.
    Preparing,
    /// Lodged, awaiting a decision.
    Lodged,
    /// Decided.
    Decided,
    /// Under review.
    Review,
    /// On appeal.
    Appeal,
}

/// A civil or employment claim.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CivilClaim {
    /// Where the claim is or will be brought.
    pub forum: ClaimForum,
    /// Where the claim stands.
    pub status: ClaimStatus,
    /// What the claim is for, e.g. `unpaid wages and discrimination`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Claim or tribunal reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Hearing date, if listed.
    #[schemars(extend("x-day-needed" = "a hearing is listed for a day; leave it out until it is"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hearing_date: Option<Date>,
    /// Whether the defendant is identified.
    #[serde(default)]
    pub defendant_known: bool,
}

/// Where a civil claim is brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimForum {
    CountyCourt,
    HighCourt,
    EmploymentTribunal,
}

/// Where a civil claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(extend("x-synonyms" = {
    "contemplated": ["considering", "advice", "not started"],
    "letter_before_claim": ["lbc", "letter before action", "pre-action"],
    "issued": ["started", "filed", "lodged"],
    "hearing_listed": ["trial", "hearing date", "listed for hearing"],
    "concluded": ["settled", "decided", "judgment", "finished"],
}))]
pub enum ClaimStatus {
    /// Being considered.
    Contemplated,
    /// Letter before claim sent.
    LetterBeforeClaim,
    /// Claim issued.
    Issued,
    /// Hearing listed.
    HearingListed,
    /// Decided or settled.
    Concluded,
}

/// Reasons compensation cannot be pursued from abroad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PresenceReason {
    MedicalAssessment,
    Hearings,
    LawyerMeetings,
    EvidenceGiving,
    NoFundsAbroad,
    Safety,
}

/// Police investigation and prosecution.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriminalJustice {
    /// Whether the exploitation was reported to the police.
    #[serde(default)]
    pub reported_to_police: bool,
    /// Crime reference number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crime_reference: Option<String>,
    /// The police force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub police_force: Option<String>,
    /// Where the investigation stands.
    #[serde(default)]
    pub investigation: InvestigationStatus,
    /// The date the investigation closed or was charged, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_date: Option<PartialDate>,
    /// The client's role.
    #[serde(default)]
    pub client_role: ClientRole,
    /// How many people have been charged, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accused: Option<u32>,
    /// The date the suspects were charged (a month or year alone if that is all the file says).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_date: Option<PartialDate>,
    /// The date the court listed the trial (not the trial date itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing_date: Option<PartialDate>,
    /// A statement by the officer in the case supporting leave, quoted in the co-operation
    /// argument where its words are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer_statement: Option<OfficerStatement>,
    /// The trial date, if listed.
    #[schemars(extend("x-day-needed" = "a trial is listed for a day, and the months until it set the leave requested"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_date: Option<Date>,
    /// Whether special measures have been granted for the client's evidence.
    #[serde(default)]
    pub special_measures: bool,
}

/// The officer in the case's support for leave.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerStatement {
    /// The officer's rank and name, e.g. `DC A. Example`.
    pub officer: String,
    /// The date of the statement or email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// The officer's own words supporting leave, to be quoted, e.g. `Her evidence is central to
    /// the prosecution.`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// The evidence `id` of the statement in the evidence list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "evidence-id"))]
    pub evidence: Option<String>,
}

/// Where an investigation stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvestigationStatus {
    /// No investigation.
    #[default]
    None,
    /// Investigation open.
    Open,
    /// Closed with no further action.
    Nfa,
    /// Suspects charged.
    Charged,
    /// Trial listed.
    TrialListed,
    /// Defendants convicted.
    Convicted,
    /// Defendants acquitted.
    Acquitted,
}

/// The client's role in the criminal process.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientRole {
    #[default]
    None,
    Complainant,
    Witness,
    /// A witness the prosecution says its case depends on.
    KeyWitness,
    PotentialWitness,
}

/// Care, guardianship, education and dependants.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// Local authority care.
    #[serde(default)]
    pub looked_after: LookedAfter,
    /// Independent Child Trafficking Guardian.
    #[serde(default)]
    pub ictg: Ictg,
    /// Episodes when the client went missing from care.
    #[serde(default)]
    pub missing_episodes: Vec<MissingEpisode>,
    /// Education or training.
    #[serde(default)]
    pub education: Education,
    /// The child's own views, as recorded by the social worker or guardian.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub childs_wishes: Option<String>,
    /// The client's own children and other dependants.
    #[serde(default)]
    pub dependants: Vec<Dependant>,
    /// A child on the way: the client's or their partner's pregnancy.
    /// Not a health condition and not a harm of the exploitation; the letter mentions it in the
    /// client's personal situation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_child: Option<ExpectedChild>,
    /// Close family outside the UK, even where little is known about them.
    /// A spouse, partner, children, parents: the letter says only what is recorded here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relatives_abroad: Vec<RelativeAbroad>,
}

/// A child on the way.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectedChild {
    /// Who is pregnant.
    #[serde(default)]
    pub parent: ExpectingParent,
    /// The expected date of birth (the month is enough).
    pub expected_date: PartialDate,
    /// The evidence `id` of the midwife's, GP's or hospital letter confirming the pregnancy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "evidence-id"))]
    pub evidence: Option<String>,
}

/// Who is pregnant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpectingParent {
    /// The client.
    #[default]
    Client,
    /// The client's partner.
    Partner,
}

/// A relative outside the UK.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RelativeAbroad {
    /// Who they are to the client.
    pub relationship: RelativeKind,
    /// Their name, if the client wants it given (leave out otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The country where they are, as a country name (leave out if not known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Whether the client is in contact with them.
    #[serde(default)]
    pub in_contact: Tristate,
}

/// A relative's relationship to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RelativeKind {
    Spouse,
    Partner,
    Child,
    Parent,
    Sibling,
    Other,
}

/// Local authority care.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LookedAfter {
    /// Care status.
    #[serde(default)]
    pub status: CareStatus,
    /// The local authority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_authority: Option<String>,
    /// Social worker's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_worker: Option<String>,
    /// Personal adviser's name (care leavers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_adviser: Option<String>,
    /// When the client became looked after (month or year is enough).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    /// When the client stopped being looked after (e.g. at 18, becoming a care leaver); leave out
    /// while still looked after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    /// Why being looked after ended, in a few words the letter can use after "ended because",
    /// e.g. `he turned 18 on the local authority's assessed date of birth`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_because: Option<String>,
}

/// Care status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CareStatus {
    /// Never looked after.
    #[default]
    Never,
    /// Accommodated under section 20 Children Act 1989.
    Section20,
    /// Under a care order.
    CareOrder,
    /// A care leaver.
    CareLeaver,
    /// Was looked after, but no longer is and is not a care leaver (e.g. care ended when the
    /// local authority assessed the client as an adult); give `end`.
    Ended,
}

/// An Independent Child Trafficking Guardian.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ictg {
    /// Whether a guardian is or was allocated (give `end` if the guardian's work has ended).
    #[serde(default)]
    pub allocated: bool,
    /// The guardian's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When the guardian was allocated (month or year is enough).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    /// When the guardian's work with the client ended; leave out while it continues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    /// Why it ended, in a few words the letter can use after "ended because", e.g. `she was
    /// treated as an adult after the age assessment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_because: Option<String>,
}

/// A missing episode.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MissingEpisode {
    /// When the client went missing (month or year is enough if that is all that is known).
    pub start: PartialDate,
    /// When the client was found (leave out if still missing; month or year is enough).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
}

/// Education or training.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Education {
    /// What the client is doing.
    #[serde(default)]
    pub status: EducationStatus,
    /// The school, college or provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}

/// Education status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EducationStatus {
    #[default]
    None,
    School,
    College,
    Training,
}

/// A dependant of the client.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dependant {
    /// Full name.
    pub name: String,
    /// Date of birth.
    #[schemars(extend("x-day-needed" = "whether the dependant is a child at the letter date is worked out from it"))]
    pub dob: Date,
    /// Relationship to the client.
    pub relationship: DependantRelationship,
    /// Nationality, as a country name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// Whether the dependant lives in the UK.
    #[serde(default = "yes")]
    pub in_uk: bool,
    /// Whether leave is requested for the dependant too.
    #[serde(default)]
    pub included_in_request: bool,
    /// The evidence `id` of a document about this child's welfare (a health visitor's, school
    /// or nursery letter), if enclosed.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Relationship of a dependant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DependantRelationship {
    Child,
    Stepchild,
    Other,
}

/// Suitability.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suitability {
    /// Convictions.
    #[serde(default)]
    pub convictions: Vec<Conviction>,
    /// Charges not yet tried, one line each.
    #[serde(default)]
    pub pending_charges: Vec<String>,
    /// Criminal proceedings against the client that left no conviction standing.
    /// Not charged, no further action, a prosecution discontinued because the client is a
    /// victim, the section 45 defence accepted, or a conviction quashed. A quashed conviction goes
    /// here, not in `convictions`.
    #[serde(default)]
    pub non_punishment: Vec<NonPunishment>,
}

/// Criminal proceedings against the client that did not end in a conviction that stands.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NonPunishment {
    /// The offence the client was suspected of, charged with or convicted of.
    pub offence: String,
    /// How it ended.
    pub outcome: NonPunishmentOutcome,
    /// When it ended (a month or year alone if that is all the file says).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// The court or body that decided, e.g. `Court of Appeal (Criminal Division)` or `Crown
    /// Prosecution Service`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The evidence `id` of the document that records the outcome.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// How criminal proceedings against the client ended without a conviction that stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NonPunishmentOutcome {
    /// Arrested or investigated, not charged.
    NotCharged,
    /// The police took no further action.
    NoFurtherAction,
    /// The prosecution was discontinued because the client is a victim of trafficking.
    DiscontinuedAsVictim,
    /// The section 45 Modern Slavery Act 2015 defence (or its Scottish or Northern Irish
    /// equivalent) was accepted: acquitted, or the case dropped on that basis.
    S45DefenceAccepted,
    /// A conviction was quashed on appeal (or after a CCRC referral).
    ConvictionQuashed,
}

/// A conviction.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conviction {
    /// The offence.
    pub offence: String,
    /// The date of conviction (month or year is enough if that is all that is known).
    pub date: PartialDate,
    /// The court.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court: Option<String>,
    /// The sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
    /// The length of any custodial sentence, in months (suspended or not; leave out if none).
    /// A sentence of 12 months or more may bring the client within the cases s.63(3) of the
    /// Nationality and Borders Act 2022 lists as a threat to public order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence_months: Option<u32>,
    /// Whether the offence was committed while the client was compelled by the exploiters.
    #[serde(default)]
    pub linked_to_exploitation: bool,
    /// Whether the section 45 Modern Slavery Act defence was considered at the time.
    #[serde(default)]
    pub s45_defence_considered: Tristate,
    /// The evidence `id` of the certificate of conviction or sentencing remarks, if enclosed.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The evidence `id` of advice on challenging the conviction (an appeal out of time, a
    /// Criminal Cases Review Commission application), if enclosed.
    #[schemars(extend("format" = "evidence-id"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_advice: Option<String>,
}

/// Yes / no / unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tristate {
    Yes,
    No,
    #[default]
    Unknown,
}

/// A document relied on.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// A short unique id used to refer to this document elsewhere in the case, e.g. `mlr`.
    pub id: String,
    /// The type of document.
    pub doc_type: DocType,
    /// A description for the evidence index, e.g. `Psychiatric report`.
    pub description: String,
    /// The author, e.g. `Dr A. Example, consultant psychiatrist`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The author's professional registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    /// The document's date (month or year is enough if that is all that is known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// Number of pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// Whether the document is enclosed or still to come.
    pub status: EvidenceStatus,
    /// For requested or awaited documents: when it is expected.
    #[schemars(extend("x-day-needed" = "the letter gives the day the document is expected; leave it out if none is given"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Date>,
    /// The grounds the document supports.
    #[serde(default)]
    pub supports: Vec<Axis>,
}

/// Professional registration of an author.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// The registration body, e.g. `hcpc`.
    pub body: RegistrationBody,
    /// The registration number, e.g. `PYL00000`.
    pub number: String,
}

/// Professional registration bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationBody {
    /// General Medical Council.
    Gmc,
    /// Health and Care Professions Council.
    Hcpc,
    /// Nursing and Midwifery Council.
    Nmc,
    /// Social Work England.
    Swe,
    /// British Psychological Society (membership, not statutory registration).
    Bps,
    /// Another body.
    Other,
}

/// Types of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(extend("x-synonyms" = {
    "medico_legal_report": ["mlr", "psychological report", "psychiatric report", "psychology report", "medical report"],
    "gp_letter": ["doctor letter", "gp report", "gp records"],
    "therapy_letter": ["counselling letter", "counsellor letter", "therapist letter"],
    "support_worker_letter": ["caseworker letter", "salvation army letter"],
    "identity_document": ["passport", "id card", "birth certificate"],
    "tribunal_decision": ["appeal decision", "determination"],
    "witness_statement": ["statement", "client statement"],
    "cps_letter": ["prosecution letter"],
}))]
pub enum DocType {
    CgDecision,
    CgMinute,
    RgDecision,
    MedicoLegalReport,
    GpLetter,
    TherapyLetter,
    CamhsLetter,
    HospitalLetter,
    SupportWorkerLetter,
    RnaOutcome,
    PoliceLetter,
    CpsLetter,
    CicaCorrespondence,
    CivilClaimDocument,
    IctgLetter,
    SocialWorkerLetter,
    PathwayPlan,
    SchoolLetter,
    CountryReport,
    ExpertReport,
    AgeAssessment,
    AsylumDecision,
    TribunalDecision,
    VtsDecision,
    IdentityDocument,
    WitnessStatement,
    Other,
}

/// Whether a document is enclosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStatus {
    /// Enclosed with the letter (gets a tab number).
    Enclosed,
    /// Requested from its author.
    Requested,
    /// Promised, awaited.
    Awaited,
    /// Cannot be obtained.
    Unobtainable,
}

/// The axes the law cares about; clauses and evidence are grouped by them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    Framework,
    Recovery,
    PersonalSituation,
    ChildBestInterests,
    Compensation,
    Cooperation,
    Suitability,
    Duration,
}

impl Axis {
    pub const ALL: [Axis; 8] = [
        Axis::Framework,
        Axis::Recovery,
        Axis::PersonalSituation,
        Axis::ChildBestInterests,
        Axis::Compensation,
        Axis::Cooperation,
        Axis::Suitability,
        Axis::Duration,
    ];

    /// The snake_case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Axis::Framework => "framework",
            Axis::Recovery => "recovery",
            Axis::PersonalSituation => "personal_situation",
            Axis::ChildBestInterests => "child_best_interests",
            Axis::Compensation => "compensation",
            Axis::Cooperation => "cooperation",
            Axis::Suitability => "suitability",
            Axis::Duration => "duration",
        }
    }
}
