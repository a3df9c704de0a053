// The official IPTC ninjs JSON Schemas (standards/ninjs/, as published, MIT),
// compiled once with Ajv: imports are checked against 3.1, and the tests check
// every export against the version it claims. The 3.1 schema refers to GeoJSON
// by its URL; the copy in standards/geojson/ is registered under that URL, so
// nothing is fetched.
import { readFileSync } from 'node:fs'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' }
import type { FieldError } from '../errors.ts'

// ajv-formats is CommonJS: under ESM its function arrives as the module's `default`.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => void }).default

const standard = (path: string): object => JSON.parse(readFileSync(new URL(`../../standards/${path}`, import.meta.url), 'utf8')) as object

export type NinjsVersion = '3.1' | '2.2'

let validators: Record<NinjsVersion, ValidateFunction> | undefined

function compiled (): Record<NinjsVersion, ValidateFunction> {
  if (validators !== undefined) return validators
  const ajv = new Ajv2020({ allErrors: true, strict: false })
  addFormats(ajv)
  ajv.addMetaSchema(draft07) // GeoJSON's schema is draft-07
  ajv.addSchema(standard('geojson/GeoJSON.json'))
  validators = {
    '3.1': ajv.compile(standard('ninjs/ninjs-schema_3.1.json')),
    '2.2': ajv.compile(standard('ninjs/ninjs-schema_2.2.json'))
  }
  return validators
}

/** Ajv's complaints as `{path, message}`, under `prefix` (e.g. `body.headlines.0.value`). */
function fieldErrors (errors: ErrorObject[], prefix: string): FieldError[] {
  const seen = new Set<string>()
  return errors.flatMap((error) => {
    const segments = error.instancePath.split('/').filter((segment) => segment !== '').map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    const unexpected = error.keyword === 'unevaluatedProperties' || error.keyword === 'additionalProperties'
      ? (error.params as { unevaluatedProperty?: string, additionalProperty?: string })
      : undefined
    const extra = unexpected?.unevaluatedProperty ?? unexpected?.additionalProperty
    const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined
    const path = [prefix, ...segments, ...[extra ?? missing].filter((name) => name !== undefined)].filter((part) => part !== '').join('.')
    const message = extra !== undefined ? 'is not a ninjs field here' : missing !== undefined ? 'is required' : error.message ?? 'is not valid'
    const key = `${path} ${message}`
    if (seen.has(key)) return []
    seen.add(key)
    return [{ path, message }]
  })
}

/** What is wrong with `document` as ninjs `version`: none when it is valid. */
export function ninjsErrors (document: unknown, version: NinjsVersion = '3.1', prefix = 'body'): FieldError[] {
  const validate = compiled()[version]
  return validate(document) ? [] : fieldErrors(validate.errors ?? [], prefix)
}
