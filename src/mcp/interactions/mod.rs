//! Toolset `interactions`: runs that pause for a person (Deck). Answers to secrets go through
//! elicitation where the client has it (see `get_run_status`); these tools are the fallback.

mod answer_interaction;
mod list_credentials;
