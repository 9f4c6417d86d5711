/**
 * What an industrial distributor sells: product templates whose option combinations become the
 * sandbox's catalog. Options are listed smallest first, so a bigger variant costs more.
 *
 * @module
 */

export interface ItemTemplate {
  category: string;
  /** UN/CEFACT unit code the variants are sold in. */
  uom: string;
  /** USD list price of the smallest and the largest variant, in cents. */
  priceCents: readonly [number, number];
  /** Name pattern; `{x}` is replaced by a value of option `x`. */
  name: string;
  description: string;
  options: Readonly<Record<string, readonly string[]>>;
}

/**
 * Second-source brands: the distributor stocks some products from another maker besides its house
 * brand, as distributors do; it also makes the catalog big enough without inventing silly sizes.
 */
export const BRANDS: readonly string[] = ['Atlas', 'Kestrel', 'Norden'];

const METRIC = ['M4', 'M5', 'M6', 'M8', 'M10', 'M12', 'M16', 'M20'];
const BOLT_LENGTHS = ['16', '20', '25', '30', '40', '50', '60', '80', '100'];
const STEEL = ['zinc-plated', 'stainless A2', 'stainless A4', 'hot-dip galvanized', 'black oxide'];
const GLOVE_SIZES = ['S', 'M', 'L', 'XL', 'XXL'];

export const TEMPLATES: readonly ItemTemplate[] = [
  // Fasteners
  {
    category: 'Fasteners',
    uom: 'BX',
    priceCents: [650, 9800],
    name: 'Hex bolt {d}x{l} {f}, box of 100',
    description: 'ISO 4017 hex head bolt, fully threaded, {d} x {l} mm, {f} steel. Box of 100.',
    options: { d: METRIC, l: BOLT_LENGTHS, f: STEEL },
  },
  {
    category: 'Fasteners',
    uom: 'BX',
    priceCents: [780, 12400],
    name: 'Socket head cap screw {d}x{l} {f}, box of 100',
    description: 'ISO 4762 socket head cap screw, hex drive, {d} x {l} mm, {f}. Box of 100.',
    options: { d: METRIC, l: BOLT_LENGTHS, f: ['class 12.9 black', 'stainless A2', 'zinc-plated'] },
  },
  {
    category: 'Fasteners',
    uom: 'BX',
    priceCents: [240, 5200],
    name: 'Hex nut {d} {f}, box of {n}',
    description: 'ISO 4032 hex nut, {d}, {f} steel. Box of {n}.',
    options: { d: METRIC, f: STEEL, n: ['100', '250', '500'] },
  },
  {
    category: 'Fasteners',
    uom: 'BX',
    priceCents: [180, 3900],
    name: '{t} washer {d} {f}, box of {n}',
    description: '{t} washer for {d} bolts, {f} steel. Box of {n}.',
    options: { t: ['Flat', 'Split lock', 'Fender', 'Serrated'], d: METRIC, f: STEEL, n: ['100', '500'] },
  },
  {
    category: 'Fasteners',
    uom: 'BX',
    priceCents: [420, 3600],
    name: 'Wood screw {d}x{l}mm {h} {f}, box of 200',
    description: 'Chipboard and wood screw, {h} drive, partial thread, {d} x {l} mm, {f}. Box of 200.',
    options: {
      d: ['3.5', '4.0', '4.5', '5.0', '6.0'],
      l: ['16', '25', '30', '40', '50', '60', '80'],
      h: ['Pozi', 'Torx'],
      f: ['yellow zinc', 'stainless A2'],
    },
  },
  {
    category: 'Fasteners',
    uom: 'EA',
    priceCents: [190, 2900],
    name: 'Threaded rod {d} x {l} {f}',
    description: 'DIN 976 threaded rod, {d}, length {l}, {f} steel.',
    options: { d: METRIC, l: ['1 m', '2 m', '3 m'], f: ['zinc-plated', 'stainless A2', 'stainless A4'] },
  },
  {
    category: 'Fasteners',
    uom: 'KGM',
    priceCents: [310, 990],
    name: 'Common nails {s} bright, bulk',
    description: 'Common wire nails, flat head, {s} mm, bright steel, sold loose by the kilogram.',
    options: { s: ['2.0x40', '2.5x50', '2.8x65', '3.1x80', '3.4x90', '4.2x110', '5.0x130'] },
  },
  {
    category: 'Fasteners',
    uom: 'BX',
    priceCents: [1600, 14500],
    name: 'Wedge anchor {d}x{l} {f}, box of 50',
    description: 'Through-bolt wedge anchor for cracked concrete, {d} x {l} mm, {f}. Box of 50.',
    options: { d: ['M8', 'M10', 'M12', 'M16'], l: ['75', '95', '120', '150'], f: ['zinc-plated', 'stainless A4'] },
  },
  // Electrical
  {
    category: 'Electrical',
    uom: 'MTR',
    priceCents: [45, 390],
    name: '{m} conduit {d}mm {c}',
    description: 'Rigid {m} electrical conduit, {d} mm outside diameter, {c}, sold by the metre.',
    options: { m: ['PVC', 'Flexible PVC', 'Galvanized steel'], d: ['16', '20', '25', '32', '40', '50'], c: ['grey', 'black', 'white'] },
  },
  {
    category: 'Electrical',
    uom: 'MTR',
    priceCents: [38, 820],
    name: 'Power cable {t} {c}x{s}mm²',
    description: '{t} power cable, {c} cores of {s} mm² copper, 0.6/1 kV, sold by the metre.',
    options: { t: ['NYM-J', 'H07RN-F', 'XLPE armoured'], c: ['2', '3', '4', '5'], s: ['1.5', '2.5', '4', '6', '10', '16'] },
  },
  {
    category: 'Electrical',
    uom: 'PK',
    priceCents: [290, 2400],
    name: 'Cable ties {w}x{l}mm {c}, pack of {n}',
    description: 'Nylon 6.6 cable ties, {w} x {l} mm, {c}, UV resistant. Pack of {n}.',
    options: { w: ['2.5', '3.6', '4.8', '7.6'], l: ['100', '150', '200', '300', '370'], c: ['black', 'natural'], n: ['100', '500'] },
  },
  {
    category: 'Electrical',
    uom: 'EA',
    priceCents: [480, 6900],
    name: 'Circuit breaker {p} {a}A curve {k}',
    description: 'Miniature circuit breaker, {p}, {a} A rated current, tripping curve {k}, 6 kA, DIN rail.',
    options: { p: ['1P', '1P+N', '2P', '3P', '4P'], a: ['6', '10', '16', '20', '25', '32', '40', '63'], k: ['B', 'C', 'D'] },
  },
  {
    category: 'Electrical',
    uom: 'EA',
    priceCents: [350, 4200],
    name: 'Junction box {s}mm IP{ip} {c}',
    description: 'Surface-mount junction box, {s} mm, IP{ip}, halogen-free, {c}.',
    options: { s: ['80x80', '100x100', '150x110', '190x140', '240x190'], ip: ['55', '65', '67'], c: ['grey', 'black'] },
  },
  {
    category: 'Electrical',
    uom: 'EA',
    priceCents: [1900, 16900],
    name: 'LED {t} {w}W {k}K',
    description: 'LED {t}, {w} W, colour temperature {k} K, CRI > 80, 5-year warranty.',
    options: { t: ['panel 600x600', 'batten 1500mm', 'high bay', 'floodlight'], w: ['20', '30', '40', '60', '100', '150'], k: ['3000', '4000', '5000'] },
  },
  {
    category: 'Electrical',
    uom: 'RO',
    priceCents: [120, 990],
    name: 'PVC insulating tape {w}mm x {l}m {c}',
    description: 'PVC electrical insulating tape, {w} mm wide, {l} m roll, {c}, flame retardant.',
    options: { w: ['15', '19', '25'], l: ['10', '20', '33'], c: ['black', 'red', 'blue', 'green/yellow', 'white'] },
  },
  // Safety
  {
    category: 'Safety',
    uom: 'BX',
    priceCents: [690, 2900],
    name: '{m} gloves size {s}, box of {n}',
    description: 'Disposable {m} examination gloves, powder-free, size {s}. Box of {n}.',
    options: { m: ['Nitrile', 'Latex', 'Vinyl', 'Heavy-duty nitrile'], s: GLOVE_SIZES, n: ['100', '200'] },
  },
  {
    category: 'Safety',
    uom: 'PR',
    priceCents: [290, 2400],
    name: 'Cut-resistant gloves level {c} size {s}, {g}',
    description: 'EN 388 cut level {c} work gloves, {g} palm coating, size {s}. Sold per pair.',
    options: { c: ['A', 'B', 'C', 'D', 'F'], s: GLOVE_SIZES, g: ['PU', 'nitrile foam', 'latex crinkle'] },
  },
  {
    category: 'Safety',
    uom: 'EA',
    priceCents: [380, 2900],
    name: 'Safety glasses {l} lens, {f}',
    description: 'EN 166 safety spectacles, {l} polycarbonate lens, {f}, anti-scratch.',
    options: { l: ['clear', 'smoke', 'amber', 'mirror', 'IR5 welding'], f: ['wraparound', 'over-spec', 'sealed', 'half-frame'] },
  },
  {
    category: 'Safety',
    uom: 'EA',
    priceCents: [890, 4900],
    name: 'Hard hat {t} {c}{v}',
    description: 'Industrial safety helmet, {t}, {c}, 6-point suspension{v}.',
    options: {
      t: ['type I class E', 'type II class C', 'vented cap style'],
      c: ['white', 'yellow', 'orange', 'blue', 'red', 'green'],
      v: ['', ' with ratchet'],
    },
  },
  {
    category: 'Safety',
    uom: 'EA',
    priceCents: [450, 3900],
    name: 'Hi-vis {t} class {k} {c} size {s}',
    description: 'High-visibility {t}, ANSI/ISEA 107 class {k}, {c}, reflective tape, size {s}.',
    options: { t: ['vest', 'T-shirt', 'jacket'], k: ['2', '3'], c: ['lime', 'orange'], s: ['M', 'L', 'XL', 'XXL', '3XL'] },
  },
  {
    category: 'Safety',
    uom: 'BX',
    priceCents: [1490, 5900],
    name: 'Disposable respirator {r}{v}, box of {n}',
    description: 'Fold-flat disposable respirator, rating {r}{v}. Box of {n}.',
    options: { r: ['FFP1', 'FFP2', 'FFP3', 'N95', 'P100'], v: ['', ' with valve'], n: ['10', '20'] },
  },
  // Plumbing
  {
    category: 'Plumbing',
    uom: 'MTR',
    priceCents: [190, 2900],
    name: '{m} pipe {d}mm {t}',
    description: '{m} pipe, {d} mm outside diameter, {t}, sold by the metre.',
    options: { m: ['Copper', 'PVC-U', 'PE-X', 'Multilayer', 'Galvanized steel'], d: ['15', '22', '28', '32', '40', '50'], t: ['standard wall', 'heavy wall'] },
  },
  {
    category: 'Plumbing',
    uom: 'EA',
    priceCents: [590, 8900],
    name: 'Ball valve {d} {m} {e}',
    description: 'Full-bore ball valve, {d}, {m} body, {e} ends, PN25.',
    options: {
      d: ['1/4"', '3/8"', '1/2"', '3/4"', '1"', '1-1/4"', '1-1/2"', '2"'],
      m: ['brass', 'stainless steel'],
      e: ['female/female', 'male/female', 'compression'],
    },
  },
  {
    category: 'Plumbing',
    uom: 'EA',
    priceCents: [85, 1800],
    name: '{t} {d}mm {m}',
    description: '{t} fitting for {d} mm pipe, {m}.',
    options: {
      t: ['Elbow 90°', 'Elbow 45°', 'Tee', 'Straight coupling', 'Reducer', 'End cap'],
      d: ['15', '22', '28', '35', '42'],
      m: ['copper solder', 'brass compression', 'press-fit'],
    },
  },
  {
    category: 'Plumbing',
    uom: 'RO',
    priceCents: [95, 690],
    name: 'PTFE thread seal tape {w}mm x {l}m',
    description: 'PTFE thread sealing tape for water and gas, {w} mm x {l} m roll.',
    options: { w: ['12', '19', '25'], l: ['10', '12', '25'] },
  },
  {
    category: 'Plumbing',
    uom: 'PK',
    priceCents: [390, 2600],
    name: 'Hose clamp {r}mm {m}, pack of {n}',
    description: 'Worm-drive hose clamp, {r} mm clamping range, {m}. Pack of {n}.',
    options: {
      r: ['8-12', '12-20', '16-27', '20-32', '25-40', '32-50', '40-60', '60-80'],
      m: ['W1 zinc-plated', 'W4 stainless', 'W5 stainless 316'],
      n: ['10', '50'],
    },
  },
  // Tools
  {
    category: 'Tools',
    uom: 'EA',
    priceCents: [140, 2900],
    name: '{t} drill bit {d}mm',
    description: '{t} drill bit, {d} mm diameter, DIN 338 jobber length.',
    options: { t: ['HSS-G', 'HSS-Co cobalt', 'SDS-plus masonry', 'Carbide-tipped'], d: ['2', '3', '4', '5', '6', '6.5', '8', '10', '12', '13', '14', '16'] },
  },
  {
    category: 'Tools',
    uom: 'EA',
    priceCents: [390, 3200],
    name: 'Combination wrench {s}mm {f}',
    description: 'Combination spanner, {s} mm, chrome vanadium steel, {f}.',
    options: {
      s: ['6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '22', '24', '27', '30', '32'],
      f: ['satin chrome', 'ratcheting'],
    },
  },
  {
    category: 'Tools',
    uom: 'EA',
    priceCents: [290, 1900],
    name: 'Screwdriver {t}{s} x {l}mm',
    description: 'Workshop screwdriver, {t}{s} tip, {l} mm blade, two-component handle.',
    options: { t: ['PH', 'PZ', 'TX', 'Slotted '], s: ['0', '1', '2', '3'], l: ['75', '100', '150'] },
  },
  {
    category: 'Tools',
    uom: 'EA',
    priceCents: [690, 3900],
    name: 'Tape measure {l}m x {w}mm {c}',
    description: 'Measuring tape, {l} m, {w} mm blade, class II accuracy, {c} case.',
    options: { l: ['3', '5', '8', '10'], w: ['16', '19', '25', '32'], c: ['rubber-armoured', 'ABS'] },
  },
  {
    category: 'Tools',
    uom: 'PK',
    priceCents: [250, 2900],
    name: '{t} blades {s}, pack of {n}',
    description: 'Replacement {t} blades, {s}. Pack of {n}.',
    options: { t: ['Utility knife', 'Hacksaw', 'Jigsaw', 'Reciprocating saw', 'Snap-off'], s: ['standard', 'bi-metal', 'heavy-duty'], n: ['5', '10', '50'] },
  },
  // Abrasives
  {
    category: 'Abrasives',
    uom: 'PK',
    priceCents: [690, 3900],
    name: 'Sanding disc {d}mm P{g} {b}, pack of {n}',
    description: 'Aluminium oxide sanding disc, {d} mm, grit P{g}, {b} backing. Pack of {n}.',
    options: { d: ['115', '125', '150'], g: ['40', '60', '80', '120', '180', '240', '320'], b: ['hook-and-loop', 'PSA'], n: ['50', '100'] },
  },
  {
    category: 'Abrasives',
    uom: 'PK',
    priceCents: [790, 5900],
    name: '{t} disc {d}x{w}mm {m}, pack of 25',
    description: '{t} disc for angle grinders, {d} x {w} mm, for {m}. Pack of 25.',
    options: { t: ['Cutting', 'Grinding'], d: ['115', '125', '180', '230'], w: ['1.0', '1.6', '3.0', '6.0'], m: ['steel', 'stainless steel', 'stone'] },
  },
  {
    category: 'Abrasives',
    uom: 'EA',
    priceCents: [190, 890],
    name: 'Flap disc {d}mm P{g} {m}',
    description: 'Conical flap disc, {d} mm, grit P{g}, {m} grain.',
    options: { d: ['115', '125', '180'], g: ['40', '60', '80', '120'], m: ['zirconia', 'ceramic', 'aluminium oxide'] },
  },
  {
    category: 'Abrasives',
    uom: 'RO',
    priceCents: [1490, 6900],
    name: 'Abrasive roll {w}mm x 50m P{g}',
    description: 'Cloth-backed abrasive roll, {w} mm x 50 m, grit P{g}.',
    options: { w: ['25', '40', '50', '115'], g: ['60', '80', '100', '120', '150', '180', '240'] },
  },
  // Adhesives
  {
    category: 'Adhesives',
    uom: 'EA',
    priceCents: [490, 2900],
    name: '{t} {s} {c}',
    description: '{t}, {s} pack, {c}.',
    options: {
      t: ['Silicone sealant', 'Polyurethane sealant', 'Hybrid polymer adhesive', 'Acrylic sealant', 'Construction adhesive'],
      s: ['290ml cartridge', '310ml cartridge', '600ml sausage'],
      c: ['clear', 'white', 'grey', 'black'],
    },
  },
  {
    category: 'Adhesives',
    uom: 'EA',
    priceCents: [390, 3900],
    name: '{t} {s}',
    description: '{t} for metal, plastics and ceramics, {s}.',
    options: {
      t: [
        'Epoxy adhesive 5-minute',
        'Epoxy adhesive structural',
        'Cyanoacrylate instant adhesive',
        'Threadlocker medium strength',
        'Threadlocker high strength',
        'Retaining compound',
        'Gasket maker',
      ],
      s: ['20g', '50ml', '250ml'],
    },
  },
  {
    category: 'Adhesives',
    uom: 'LTR',
    priceCents: [890, 2400],
    name: '{t}, bulk',
    description: '{t}, drawn from bulk drums and sold by the litre.',
    options: { t: ['Contact adhesive solvent-based', 'Contact adhesive water-based', 'PVA wood glue D3', 'PVA wood glue D4', 'Spray adhesive'] },
  },
  // Packaging
  {
    category: 'Packaging',
    uom: 'RO',
    priceCents: [590, 3900],
    name: 'Stretch film {w}mm x {l}m {t}µm {c}',
    description: 'Cast stretch wrap film, {w} mm x {l} m, {t} µm, {c}.',
    options: { w: ['450', '500'], l: ['150', '300', '1500'], t: ['17', '20', '23', '30'], c: ['clear', 'black'] },
  },
  {
    category: 'Packaging',
    uom: 'RO',
    priceCents: [190, 990],
    name: 'Packing tape {w}mm x {l}m {c}',
    description: 'Polypropylene packing tape, {w} mm x {l} m, {c}, acrylic adhesive.',
    options: { w: ['38', '48', '50', '75'], l: ['66', '100', '132'], c: ['brown', 'clear', 'white', 'printed FRAGILE'] },
  },
  {
    category: 'Packaging',
    uom: 'EA',
    priceCents: [45, 690],
    name: 'Corrugated box {s}mm {w}',
    description: 'Shipping carton FEFCO 0201, internal {s} mm, {w} corrugated board.',
    options: { s: ['200x150x100', '300x200x200', '400x300x300', '500x400x400', '600x400x400', '800x600x500'], w: ['single wall', 'double wall'] },
  },
  {
    category: 'Packaging',
    uom: 'RO',
    priceCents: [1490, 7900],
    name: '{t} {w}mm x {l}m',
    description: '{t}, {w} mm wide, {l} m roll.',
    options: {
      t: ['Bubble wrap small bubble', 'Bubble wrap large bubble', 'Kraft void-fill paper', 'PP strapping 12mm', 'PET strapping 16mm'],
      w: ['500', '750', '1000', '1500'],
      l: ['50', '100', '250'],
    },
  },
  // Lubricants and chemicals
  {
    category: 'Lubricants',
    uom: 'LTR',
    priceCents: [390, 2200],
    name: '{t}, bulk',
    description: '{t}, sold by the litre from bulk.',
    options: {
      t: [
        'Hydraulic oil ISO VG 32',
        'Hydraulic oil ISO VG 46',
        'Hydraulic oil ISO VG 68',
        'Gear oil ISO VG 220',
        'Cutting oil soluble',
        'Cutting oil neat',
        'Compressor oil ISO VG 100',
        'Industrial degreaser',
        'Isopropyl alcohol 99%',
      ],
    },
  },
  {
    category: 'Lubricants',
    uom: 'KGM',
    priceCents: [690, 3900],
    name: '{t} grease NLGI {n}, bulk',
    description: '{t} grease, NLGI grade {n}, sold by the kilogram.',
    options: { t: ['Lithium complex', 'Calcium sulfonate', 'Food-grade H1', 'Molybdenum', 'High-temperature'], n: ['0', '1', '2', '3'] },
  },
  {
    category: 'Lubricants',
    uom: 'EA',
    priceCents: [390, 1900],
    name: '{t} spray {s}',
    description: '{t} aerosol, {s}.',
    options: { t: ['Penetrating oil', 'PTFE dry lubricant', 'Silicone', 'Contact cleaner', 'Zinc primer', 'Chain lubricant'], s: ['200ml', '400ml', '500ml'] },
  },
  // Material handling
  {
    category: 'Material Handling',
    uom: 'EA',
    priceCents: [890, 12900],
    name: '{t} {c}t x {l}m',
    description: '{t}, working load limit {c} t, length {l} m, EN 1492.',
    options: {
      t: ['Round sling', 'Flat webbing sling', 'Ratchet tie-down strap', 'Chain sling single leg'],
      c: ['1', '2', '3', '5'],
      l: ['1', '2', '3', '4', '6'],
    },
  },
  {
    category: 'Material Handling',
    uom: 'KGM',
    priceCents: [290, 790],
    name: 'Wiping rags {t}',
    description: 'Recycled textile wiping rags, {t}, sold by the kilogram.',
    options: { t: ['white cotton', 'coloured cotton', 'knitted lint-free', 'mixed'] },
  },
];
