#!/usr/bin/python3
"""Populate a Tryton 6.0 database with B2B web-store demo data.

Run with the *Debian* interpreter (/usr/bin/python3) because trytond and
proteus come from Debian packages (tryton-server / tryton-proteus) and are
not visible to other interpreters (e.g. a pyenv python3 first on PATH):

    /usr/bin/python3 setup_demo.py -c trytond.conf -d demo

The database must already exist with these modules activated:
    trytond-admin -c trytond.conf -d demo --all --activate-dependencies \
        -u sale_price_list sale_credit_limit sale_stock_quantity \
           stock_forecast sale_shipment_cost account_invoice

Idempotent: every record is looked up by a natural key (name/code/login)
before it is created, so running it twice leaves the data unchanged.
Prints a JSON summary of the ids an API client needs.
"""
import argparse
import datetime as dt
import json
import os
import sys
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from proteus import Model, Wizard, config as pconfig

COMPANY_NAME = 'Acme Industrial Supply'
API_LOGIN = os.environ.get('TRYTON_API_LOGIN', 'webstore')
API_PASSWORD = os.environ.get('TRYTON_API_PASSWORD', 'WebShopApi-2024x')

PRODUCTS = [
    # code, name, list price, cost price, qty WH (east), qty WH2 (west)
    ('SKU-1001', 'Hex Bolt M8x40 (box of 100)', '12.50', '7.10', 400, 150),
    ('SKU-1002', 'Hex Nut M8 (box of 100)', '6.90', '3.80', 500, 200),
    ('SKU-1003', 'Flat Washer M8 (box of 100)', '4.20', '2.10', 350, 0),
    ('SKU-1004', 'Nitrile Safety Gloves (pair)', '3.75', '1.60', 1000, 600),
    ('SKU-1005', 'Safety Glasses, clear', '8.95', '4.40', 120, 80),
    ('SKU-1006', 'Cordless Drill 18V', '149.00', '92.00', 25, 8),
    ('SKU-1007', 'HSS Drill Bit Set, 19 pcs', '29.50', '15.00', 60, 40),
    ('SKU-1008', 'Measuring Tape 5 m', '11.25', '5.20', 90, 0),
    ('SKU-1009', 'Cable Ties 200 mm (pack of 100)', '5.40', '2.30', 300, 250),
    ('SKU-1010', 'LED Work Light 20 W', '39.90', '21.00', 0, 35),
]


def one(Model_, domain):
    found = Model_.find(domain, limit=1)
    return found[0] if found else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('-c', '--config', required=True,
        help='trytond configuration file')
    parser.add_argument('-d', '--database', required=True)
    args = parser.parse_args()

    cfg = pconfig.set_trytond(args.database, config_file=args.config)
    today = dt.date.today()

    User = Model.get('res.user')
    Group = Model.get('res.group')
    Party = Model.get('party.party')
    Currency = Model.get('currency.currency')
    Company = Model.get('company.company')

    # --- currency ---------------------------------------------------------
    usd = one(Currency, [('code', '=', 'USD')])
    if not usd:
        usd = Currency(name='U.S. Dollar', code='USD', symbol='$',
            numeric_code='840', rounding=Decimal('0.01'), digits=2)
        usd.rates.new(date=dt.date(2000, 1, 1), rate=Decimal('1'))
        usd.save()

    # --- company (wizard also attaches it to admin) -----------------------
    company = one(Company, [('party.name', '=', COMPANY_NAME)])
    if not company:
        party = Party(name=COMPANY_NAME)
        address, = party.addresses
        address.street = '100 Industrial Way'
        address.postal_code = '60601'
        address.city = 'Chicago'
        party.save()
        wiz = Wizard('company.company.config')
        wiz.execute('company')
        wiz.form.party = party
        wiz.form.currency = usd
        wiz.execute('add')
        company = one(Company, [('party.name', '=', COMPANY_NAME)])
    admin = User(cfg.user)
    if admin.company != company:
        admin.companies.append(Company(company.id))
        admin.company = company
        admin.save()
    cfg._context = User.get_preferences(True, {})

    # --- chart of accounts (minimal English chart) -------------------------
    Account = Model.get('account.account')
    AccountTemplate = Model.get('account.account.template')
    ModelData = Model.get('ir.model.data')
    if not Account.find([('company', '=', company.id)], limit=1):
        data, = ModelData.find([('module', '=', 'account'),
                ('fs_id', '=', 'account_template_root_en')])
        wiz = Wizard('account.create_chart')
        wiz.execute('account')
        wiz.form.account_template = AccountTemplate(data.db_id)
        wiz.form.company = company
        wiz.execute('create_account')
        wiz.form.account_receivable = one(Account, [
                ('type.receivable', '=', True),
                ('company', '=', company.id)])
        wiz.form.account_payable = one(Account, [
                ('type.payable', '=', True), ('company', '=', company.id)])
        wiz.execute('create_properties')
    revenue = one(Account, [('type.revenue', '=', True),
            ('company', '=', company.id)])
    expense = one(Account, [('type.expense', '=', True),
            ('company', '=', company.id)])
    tax_account = one(Account, [('name', '=', 'Main Tax'),
            ('company', '=', company.id)])

    # --- fiscal years (this and next, so year-end does not break CI) ------
    FiscalYear = Model.get('account.fiscalyear')
    Sequence = Model.get('ir.sequence')
    SequenceStrict = Model.get('ir.sequence.strict')
    SequenceType = Model.get('ir.sequence.type')
    # Last year too: the demo's posted invoices go back 100 days.
    for year in (today.year - 1, today.year, today.year + 1):
        if FiscalYear.find([('name', '=', str(year)),
                    ('company', '=', company.id)]):
            continue
        move_type, = SequenceType.find([('name', '=', 'Account Move')])
        inv_type, = SequenceType.find([('name', '=', 'Invoice')])
        move_seq = Sequence(name='Moves %s' % year, sequence_type=move_type,
            company=company)
        move_seq.save()
        inv_seq = SequenceStrict(name='Invoices %s' % year,
            sequence_type=inv_type, company=company,
            prefix='INV/%s/' % year)
        inv_seq.save()
        fy = FiscalYear(name=str(year), company=company,
            start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31),
            post_move_sequence=move_seq)
        seq, = fy.invoice_sequences
        seq.out_invoice_sequence = inv_seq
        seq.in_invoice_sequence = inv_seq
        seq.out_credit_note_sequence = inv_seq
        seq.in_credit_note_sequence = inv_seq
        fy.save()
        fy.click('create_period')

    # --- tax ------------------------------------------------------------
    Tax = Model.get('account.tax')
    tax = one(Tax, [('name', '=', 'Sales Tax 8%')])
    if not tax:
        tax = Tax(name='Sales Tax 8%', description='Sales Tax 8%',
            type='percentage', rate=Decimal('0.08'),
            invoice_account=tax_account, credit_note_account=tax_account)
        tax.save()

    # --- payment term -----------------------------------------------------
    PaymentTerm = Model.get('account.invoice.payment_term')
    net30 = one(PaymentTerm, [('name', '=', 'Net 30')])
    if not net30:
        net30 = PaymentTerm(name='Net 30')
        line = net30.lines.new(type='remainder')
        line.relativedeltas.new(days=30)
        net30.save()

    # --- warehouses -------------------------------------------------------
    Location = Model.get('stock.location')
    wh1, = Location.find([('code', '=', 'WH')])
    if wh1.name != 'East Warehouse':
        wh1.name = 'East Warehouse'
        wh1.save()
    wh2 = one(Location, [('code', '=', 'WH2')])
    if not wh2:
        zones = {}
        for code, name in [('IN2', 'West Input'), ('OUT2', 'West Output'),
                ('STO2', 'West Storage')]:
            zones[code] = one(Location, [('code', '=', code)])
            if not zones[code]:
                zones[code] = Location(name=name, code=code, type='storage')
                zones[code].save()
        wh2 = Location(name='West Warehouse', code='WH2', type='warehouse',
            input_location=zones['IN2'], output_location=zones['OUT2'],
            storage_location=zones['STO2'])
        wh2.save()
    if not wh2.lost_found_location:
        # inventories need a lost-and-found location on the warehouse
        wh2.lost_found_location, = Location.find([('type', '=', 'lost_found')],
            limit=1)
        wh2.save()
    wh1.reload()
    wh2.reload()

    # --- product category & products -------------------------------------
    Category = Model.get('product.category')
    category = one(Category, [('name', '=', 'Industrial Supplies')])
    if not category:
        category = Category(name='Industrial Supplies', accounting=True,
            account_revenue=revenue, account_expense=expense)
        category.customer_taxes.append(Tax(tax.id))
        category.save()
    Uom = Model.get('product.uom')
    unit, = Uom.find([('name', '=', 'Unit')])
    Template = Model.get('product.template')
    Product = Model.get('product.product')
    products = {}
    for code, name, price, cost, _, _ in PRODUCTS:
        product = one(Product, [('code', '=', code)])
        if not product:
            template = Template(name=name, code=code, type='goods',
                default_uom=unit, salable=True, sale_uom=unit,
                list_price=Decimal(price), account_category=category)
            template.save()
            product, = template.products
            product.cost_price = Decimal(cost)
            product.save()
        products[code] = product

    # --- price list for the contract customer ----------------------------
    PriceList = Model.get('product.price_list')
    price_list = one(PriceList, [('name', '=', 'Globex Contract Prices')])
    drill = products['SKU-1006']
    if not price_list:
        price_list = PriceList(name='Globex Contract Prices',
            unit='product_sale')
        # first matching line wins (ordered by sequence)
        price_list.lines.new(sequence=10, product=drill, quantity=10,
            formula='125.00')
        price_list.lines.new(sequence=20, product=drill, formula='135.00')
        price_list.lines.new(sequence=30, quantity=10,
            formula='unit_price * 0.9')
        price_list.lines.new(sequence=40, formula='unit_price')
        price_list.save()

    # --- customers --------------------------------------------------------
    # Addresses carry a country: erpfront's ship-tos are ISO 3166 coded. Debian's trytond does
    # not load the country list, so the one country the demo needs is created here.
    Country = Model.get('country.country')
    us = one(Country, [('code', '=', 'US')])
    if not us:
        us = Country(name='United States', code='US', code3='USA',
            code_numeric='840')
        us.save()

    def customer(name, code, street, city, zip_):
        party = one(Party, [('code', '=', code)])
        if not party:
            party = Party(name=name, code=code)
            address, = party.addresses
            address.street = street
            address.city = city
            address.postal_code = zip_
            party.contact_mechanisms.new(type='email',
                value='purchasing@%s.example' % code.lower())
        for address in party.addresses:
            if not address.country:
                address.country = us
        party.customer_payment_term = net30
        return party

    globex = customer('Globex Corporation', 'GLOBEX', '42 Market St',
        'Springfield', '62701')
    globex.sale_price_list = price_list
    globex.credit_limit_amount = Decimal('5000')
    globex.save()
    initech = customer('Initech LLC', 'INITECH', '9 Office Park',
        'Austin', '73301')
    initech.save()
    hooli = customer('Hooli Inc.', 'HOOLI', '1 Hacker Way',
        'Palo Alto', '94301')
    hooli.save()
    supplier = one(Party, [('code', '=', 'FASTCO')])
    if not supplier:
        supplier = Party(name='Fastener Co. (supplier)', code='FASTCO')
        supplier.save()

    # --- opening stock: one inventory per warehouse ----------------------
    Inventory = Model.get('stock.inventory')
    for wh, col in ((wh1, 4), (wh2, 5)):
        storage = wh.storage_location
        inventory = one(Inventory, [('location', '=', storage.id),
                ('state', 'in', ['draft', 'done'])])
        if not inventory:
            inventory = Inventory(location=storage, date=today)
            for row in PRODUCTS:
                if row[col]:
                    inventory.lines.new(product=products[row[0]],
                        quantity=float(row[col]))
            inventory.save()
        if inventory.state == 'draft':
            inventory.click('confirm')

    # --- a future supplier delivery so forecast != on-hand ---------------
    ShipmentIn = Model.get('stock.shipment.in')
    if not ShipmentIn.find([('reference', '=', 'PO-DEMO-1')]):
        shipment = ShipmentIn(supplier=supplier, warehouse=wh2,
            reference='PO-DEMO-1',
            planned_date=today + relativedelta(days=7))
        shipment.company = company
        for code, qty in (('SKU-1006', 20), ('SKU-1008', 50)):
            move = shipment.incoming_moves.new()
            move.product = products[code]
            move.uom = unit
            move.quantity = qty
            move.from_location = supplier.supplier_location
            move.to_location = wh2.input_location
            move.planned_date = shipment.planned_date
            move.unit_price = products[code].cost_price
            move.currency = usd
            move.company = company
        shipment.save()

    # --- API user ---------------------------------------------------------
    api = one(User, [('login', '=', API_LOGIN)])
    if not api:
        api = User(name='Web Store API', login=API_LOGIN)
        # Party Administration: erpfront creates the customers ops approve (registrations).
        for group_name in ('Sales', 'Stock', 'Account', 'Party Administration'):
            api.groups.append(Group.find([('name', '=', group_name)])[0])
        api.companies.append(Company(company.id))
        api.company = company
    api.password = API_PASSWORD
    api.save()

    # --- one open (confirmed) sale so credit amount / forecast move ------
    Sale = Model.get('sale.sale')
    if not Sale.find([('reference', '=', 'DEMO-OPEN-1')]):
        sale = Sale(party=initech, reference='DEMO-OPEN-1', warehouse=wh1,
            payment_term=net30, invoice_method='shipment')
        for code, qty in (('SKU-1006', 5), ('SKU-1001', 20)):
            line = sale.lines.new()
            line.product = products[code]
            line.quantity = qty
        sale.click('quote')
        sale.click('confirm')

    # --- posted invoices with different due dates (statement, aging) -----
    # Hooli: one invoice current, one 1-30 days past due, one 61-90, and a
    # credit note (negative quantity, as Tryton books credit notes).
    Invoice = Model.get('account.invoice')
    Warning = Model.get('res.user.warning')
    # Oldest first: Tryton numbers invoices strictly in date order.
    for ref, days_ago, code, qty in (('DEMO-INV-1', 100, 'SKU-1006', 2),
            ('DEMO-INV-2', 45, 'SKU-1001', 10),
            ('DEMO-CN-1', 20, 'SKU-1007', -1),
            ('DEMO-INV-3', 5, 'SKU-1007', 4)):
        if Invoice.find([('reference', '=', ref)]):
            continue
        invoice = Invoice(type='out', party=hooli, reference=ref,
            invoice_date=today - relativedelta(days=days_ago))
        invoice.payment_term = net30
        line = invoice.lines.new()
        line.product = products[code]
        line.quantity = qty
        line.unit_price = products[code].list_price
        invoice.save()
        # Dated in the past on purpose: Tryton warns of a payment date in the
        # past; answering it is recording the warning as seen, as its client does.
        Warning(user=admin, name='invoice_payment_term_%d' % invoice.id,
            always=False).save()
        invoice.click('post')

    summary = {
        'database': args.database,
        'company_id': company.id,
        'currency_id': usd.id,
        'warehouses': {wh1.code: wh1.id, wh2.code: wh2.id},
        'customers': {'GLOBEX': globex.id, 'INITECH': initech.id,
            'HOOLI': hooli.id},
        'price_list_id': price_list.id,
        'payment_term_id': net30.id,
        'unit_uom_id': unit.id,
        'products': {c: p.id for c, p in products.items()},
        'api_login': API_LOGIN,
        'api_user_id': api.id,
    }
    json.dump(summary, sys.stdout, indent=1)
    print()


if __name__ == '__main__':
    main()
