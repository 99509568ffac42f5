//! Usage and billing on Sequentum cloud.

use super::{Sequentum, failure};
use crate::{
    api::billing::Dates,
    jobs::model::{
        Id, Need, ToolFailure,
        usage::{AgentCost, AgentUsage, Period, RunCost, Usage},
    },
};

impl Sequentum {
    /// The cloud's dates: from the start of the first day to the end of the last, UTC.
    fn dates(period: &Period) -> Dates {
        Dates {
            start: format!("{}T00:00:00Z", period.start),
            end: format!("{}T23:59:59Z", period.end),
        }
    }

    fn billing(&self) -> Result<(), ToolFailure> {
        if self.serves(Need::Billing) {
            Ok(())
        } else {
            Err(ToolFailure::unsupported(
                self.info.backend,
                "usage or billing",
            ))
        }
    }

    pub(super) async fn account_usage(
        &self,
        period: &Period,
        top: u32,
    ) -> Result<Usage, ToolFailure> {
        self.billing()?;
        let dates = Sequentum::dates(period);
        let fail = |e| failure(self.upstream, e, "billing");
        let credits = self.client.credits().await.map_err(fail)?;
        let spending = self.client.spending(&dates).await.map_err(fail)?;
        let agents = self.client.agents_cost(&dates, top).await.map_err(fail)?;
        Ok(Usage {
            credits_available: credits.available_credits.or(spending.current_balance),
            spent: spending.total_spent,
            top_agents: agents
                .agents
                .into_iter()
                .map(|a| AgentCost {
                    agent_id: Id::Num(a.agent_id),
                    agent_name: a.agent_name,
                    cost: a.cost,
                })
                .collect(),
            agents_with_cost: agents.total_record_count,
        })
    }

    pub(super) async fn usage_of_agent(
        &self,
        agent_id: &Id,
        period: &Period,
        runs: u32,
    ) -> Result<AgentUsage, ToolFailure> {
        self.billing()?;
        let agent = Sequentum::int(agent_id);
        let dates = Sequentum::dates(period);
        let fail = |e| failure(self.upstream, e, &format!("the billing of agent {agent}"));
        let breakdown = self
            .client
            .cost_breakdown(agent, &dates)
            .await
            .map_err(fail)?;
        let run_costs = self
            .client
            .runs_cost(agent, &dates, runs)
            .await
            .map_err(fail)?;
        let mut by_type: Vec<(String, f64)> = breakdown
            .usage_types
            .into_iter()
            .map(|t| (t.kind, t.total_cost))
            .collect();
        by_type.sort_by(|a, b| b.1.total_cmp(&a.1));
        Ok(AgentUsage {
            agent_id: Id::Num(agent),
            total_cost: breakdown
                .total_cost
                .unwrap_or_else(|| by_type.iter().map(|t| t.1).sum()),
            agent_name: breakdown.agent_name,
            by_type,
            runs: run_costs
                .runs
                .into_iter()
                .map(|r| RunCost {
                    run_id: Id::Num(r.run_id),
                    cost: r.cost,
                    billing_type: r.billing_type,
                })
                .collect(),
            run_count: run_costs.total_record_count,
        })
    }
}
