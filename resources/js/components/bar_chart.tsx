import { useId } from 'react'
import '../../css/calls.css'

export type Bar = { label: string; total: number; answered: number }

const WIDTH = 640
const HEIGHT = 180
const PAD = { top: 12, right: 8, bottom: 26, left: 34 }

/**
 * Stacked bars (answered, then the rest as missed) drawn as plain SVG. Screen readers get
 * the title and a data table instead of the shapes; every bar also has a tooltip title.
 */
export function BarChart({
  title,
  bars,
  labelEvery = 1,
}: {
  title: string
  bars: Bar[]
  labelEvery?: number
}) {
  const id = useId()
  const max = Math.max(1, ...bars.map((b) => b.total))
  const plotW = WIDTH - PAD.left - PAD.right
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const slot = plotW / Math.max(1, bars.length)
  const barW = Math.max(2, slot * 0.7)
  const y = (value: number) => PAD.top + plotH - (value / max) * plotH
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>
        <strong>{title}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" focusable="false">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} stroke="#d1d5db" />
        <text className="axis" x={PAD.left - 4} y={y(max) + 4} textAnchor="end">
          {max}
        </text>
        <text className="axis" x={PAD.left - 4} y={y(0)} textAnchor="end">
          0
        </text>
        {bars.map((bar, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2
          const missed = bar.total - bar.answered
          return (
            <g key={i}>
              <title>
                {bar.label}: {bar.total} calls, {bar.answered} answered, {missed} missed
              </title>
              <rect
                className="bar-answered"
                x={x}
                width={barW}
                y={y(bar.answered)}
                height={y(0) - y(bar.answered)}
              />
              <rect
                className="bar-missed"
                x={x}
                width={barW}
                y={y(bar.total)}
                height={y(bar.answered) - y(bar.total)}
              />
              {i % labelEvery === 0 && (
                <text className="axis" x={x + barW / 2} y={HEIGHT - 8} textAnchor="middle">
                  {bar.label}
                </text>
              )}
            </g>
          )
        })}
      </svg>
      <div className="legend" aria-hidden="true">
        <span>
          <span className="swatch" style={{ background: '#2563eb' }} />
          Answered
        </span>
        <span>
          <span className="swatch" style={{ background: '#f59e0b' }} />
          Not answered
        </span>
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Calls</th>
            <th scope="col">Answered</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar, i) => (
            <tr key={i}>
              <th scope="row">{bar.label}</th>
              <td>{bar.total}</td>
              <td>{bar.answered}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
