//! The few fixed sentences a credential states, in each document language
//! (sv, da, en, nb), so that a credential reads in the certificate's language.

use crate::model::Lang;

/// The fixed texts of one language.
pub(super) struct CredentialTexts {
    /// The credential's name before the framework's title, as on the certificate.
    pub certificate: &'static str,
    /// The achievement's description when the framework has none.
    pub description: &'static str,
    /// `{scale}` and `{level}`: when an item rated on a scale counts as achieved.
    pub achieved_rule: &'static str,
    /// The SeQF rule `all-required`.
    pub seqf_all_required: &'static str,
    /// The SeQF rule `share`, with `{percent}`.
    pub seqf_share: &'static str,
    /// The name of the result that states the SeQF level.
    pub seqf_result: &'static str,
    /// `{level}`: the EQF level an SeQF level is referenced to.
    pub eqf_level: &'static str,
}

const SV: CredentialTexts = CredentialTexts {
    certificate: "Intyg om validerad kompetens",
    description: "Arbetsuppgifter och generella kompetenser för arbetslivet, validerade på arbetsplatsen.",
    achieved_rule: "En uppgift som bedöms på skalan ”{scale}” är uppnådd när den slutliga bedömningen är ”{level}” eller högre.",
    seqf_all_required: "Intyget anger den högsta SeQF-nivå där alla obligatoriska uppgifter är uppnådda.",
    seqf_share: "Intyget anger den högsta SeQF-nivå där minst {percent} % av uppgifterna och alla obligatoriska uppgifter är uppnådda.",
    seqf_result: "Angiven SeQF-nivå",
    eqf_level: "EQF-nivå {level}",
};

const DA: CredentialTexts = CredentialTexts {
    certificate: "Læringsbevis",
    description: "Arbejdsopgaver og generelle kompetencer til arbejdslivet, valideret på arbejdspladsen.",
    achieved_rule: "En opgave, der vurderes på skalaen »{scale}«, er opnået, når den endelige vurdering er »{level}« eller højere.",
    seqf_all_required: "Beviset angiver det højeste SeQF-niveau, hvor alle obligatoriske opgaver er opnået.",
    seqf_share: "Beviset angiver det højeste SeQF-niveau, hvor mindst {percent} % af opgaverne og alle obligatoriske opgaver er opnået.",
    seqf_result: "Angivet SeQF-niveau",
    eqf_level: "EQF-niveau {level}",
};

const NB: CredentialTexts = CredentialTexts {
    certificate: "Kompetansebevis",
    description: "Arbeidsoppgaver og generelle kompetanser for arbeidslivet, validert på arbeidsplassen.",
    achieved_rule: "En oppgave som vurderes på skalaen «{scale}», er oppnådd når sluttvurderingen er «{level}» eller høyere.",
    seqf_all_required: "Beviset angir det høyeste SeQF-nivået der alle obligatoriske oppgaver er oppnådd.",
    seqf_share: "Beviset angir det høyeste SeQF-nivået der minst {percent} % av oppgavene og alle obligatoriske oppgaver er oppnådd.",
    seqf_result: "Angitt SeQF-nivå",
    eqf_level: "EQF-nivå {level}",
};

const EN: CredentialTexts = CredentialTexts {
    certificate: "Learning certificate",
    description: "Work tasks and general work-life competences validated at the workplace.",
    achieved_rule: "A task rated on the scale “{scale}” is achieved when its final rating is “{level}” or higher.",
    seqf_all_required: "The certificate states the highest SeQF level at which every required task is achieved.",
    seqf_share: "The certificate states the highest SeQF level at which at least {percent} % of the tasks and every required task are achieved.",
    seqf_result: "SeQF level stated",
    eqf_level: "EQF level {level}",
};

/// The texts in `lang`; English for a language kub writes no documents in.
pub(super) fn texts(lang: Lang) -> &'static CredentialTexts {
    match lang.code() {
        "sv" => &SV,
        "da" => &DA,
        "nb" => &NB,
        _ => &EN,
    }
}
