import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, type KpiReport } from '../api/client';
import { ChartFigure } from '../components/Chart';
import { Layout } from '../components/Layout';
import { categoryLabel, money, percent } from '../lib/format';
import { dollars, lastMonths, pct } from '../lib/kpi';
import { problemView } from '../lib/problems';
import { useSession } from '../session';

async function kpis(practiceId: string, from?: string, to?: string): Promise<KpiReport> {
  const { data, error, response } = await api.GET('/kpis', {
    params: { query: { practiceId, ...(from ? { from } : {}), ...(to ? { to } : {}) } },
  });
  if (!data) throw new Error(problemView(response.status, error).message);
  return data;
}

/** The KPI dashboard: A/R aging, denial rate by category and payer, appeal overturns, time to first action, trends. */
export function KpiPage() {
  const { session, practiceId: chosen } = useSession();
  const practiceId = chosen || session.user.practiceIds[0] || '';
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState('');
  const report = useQuery({
    queryKey: ['kpis', practiceId, from],
    queryFn: () => kpis(practiceId, from || undefined, today),
  });
  const months = useMemo(() => lastMonths(today, 6), [today]);
  const trend = useQueries({
    queries: months.map((m) => ({
      queryKey: ['kpis', practiceId, m.from, m.to],
      queryFn: () => kpis(practiceId, m.from, m.to),
    })),
  });
  const r = report.data;
  const trendReady = trend.every((t) => t.data);
  const charts = useMemo(() => {
    if (!r) return undefined;
    return {
      aging: {
        labels: r.arAging.buckets.map((b) => b.label),
        series: [
          { label: 'Open A/R', values: r.arAging.buckets.map((b) => dollars(b.cents)), color: '#1f5fa8' },
        ],
      },
      byCategory: {
        labels: r.denialsByCategory.map((d) => categoryLabel(d.category)),
        series: [
          { label: 'Denied claims', values: r.denialsByCategory.map((d) => d.claims), color: '#a8321f' },
        ],
      },
      byPayer: {
        labels: r.denialsByPayer.map((d) => d.payerId),
        series: [
          { label: 'Denial rate', values: r.denialsByPayer.map((d) => pct(d.byCount)), color: '#7a3fa0' },
        ],
      },
      firstAction: {
        labels: ['Denials due for action', 'Acted within target'],
        series: [
          {
            label: 'Claims',
            values: [r.timeToFirstAction.due, r.timeToFirstAction.withinTarget],
            color: '#2c7a3f',
          },
        ],
      },
    };
  }, [r]);
  // Rebuilt on every render once all months answered: six small arrays, cheaper than tracking them.
  const trendChart = trendReady
    ? {
        labels: months.map((m) => m.label),
        series: [
          {
            label: 'Denial rate',
            values: trend.map((t) => pct(t.data?.denialRate.byCount)),
            color: '#a8321f',
          },
          {
            label: 'Appeal overturn rate',
            values: trend.map((t) => pct(t.data?.appealOverturnRate.byCount)),
            color: '#1f5fa8',
          },
        ],
      }
    : undefined;
  return (
    <Layout title={`KPIs for ${practiceId}`}>
      <label>
        Period from (default: last 90 days)
        <input type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} />
      </label>
      {report.isPending && <p role="status">Loading…</p>}
      {report.isError && <p role="alert">{report.error.message}</p>}
      {r && charts && (
        <>
          <section aria-labelledby="kpi-tiles" className="tiles">
            <h2 id="kpi-tiles">
              {r.from} to {r.to}
            </h2>
            <dl>
              <dt>Denial rate</dt>
              <dd>
                {percent(r.denialRate.byCount)} ({r.denialRate.deniedClaims} of{' '}
                {r.denialRate.adjudicatedClaims})
              </dd>
              <dt>Clean claim rate</dt>
              <dd>{percent(r.cleanClaimRate.byCount)}</dd>
              <dt>Days in A/R</dt>
              <dd>{r.daysInAr.days == null ? '—' : r.daysInAr.days.toFixed(1)}</dd>
              <dt>Appeal overturn rate</dt>
              <dd>
                {percent(r.appealOverturnRate.byCount)} ({r.appealOverturnRate.overturned} of{' '}
                {r.appealOverturnRate.decided})
              </dd>
              <dt>Net collection rate</dt>
              <dd>{percent(r.netCollectionRate.rate)}</dd>
              <dt>First action within {r.timeToFirstAction.targetBusinessDays} business days</dt>
              <dd>{percent(r.timeToFirstAction.withinTargetByCount)}</dd>
              <dt>Open A/R over 90 days</dt>
              <dd>
                {percent(r.arAging.over90DaysShareOfDollars)} of {money(r.daysInAr.openArCents)}
              </dd>
            </dl>
          </section>
          <div className="charts">
            <ChartFigure
              id="c-aging"
              title="A/R aging (dollars by days since service)"
              kind="bar"
              unit="dollars"
              {...charts.aging}
            />
            <ChartFigure
              id="c-category"
              title="Denials by category"
              kind="bar"
              unit="claims"
              {...charts.byCategory}
            />
            <ChartFigure
              id="c-payer"
              title="Denial rate by payer"
              kind="bar"
              unit="percent"
              {...charts.byPayer}
            />
            <ChartFigure
              id="c-first"
              title={`Time to first action against the ${r.timeToFirstAction.targetBusinessDays}-business-day target`}
              kind="bar"
              unit="claims"
              {...charts.firstAction}
            />
            {trendChart && (
              <ChartFigure id="c-trend" title="Trends by month" kind="line" unit="percent" {...trendChart} />
            )}
          </div>
        </>
      )}
    </Layout>
  );
}
